import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { currentBusiness } from "@/lib/business/queries";
import { listCoupons, toCouponDto } from "@/lib/passes/queries";
import { saveCoupon } from "@/lib/passes/save-plan";
import { couponSchema } from "@/lib/validations/passes";

export const GET = apiRoute({ auth: "staff" }, async () => {
  const db = getDb();
  return NextResponse.json({ coupons: (await listCoupons(db, (await currentBusiness(db)).id)).map(toCouponDto) });
});

export const POST = apiRoute({ auth: "staff", body: couponSchema }, async ({ body, user }) => {
  const business = await currentBusiness(getDb());
  const coupon = await saveCoupon({ ...body, businessId: business.id, actorId: user.id });
  return NextResponse.json({ coupon: toCouponDto(coupon) }, { status: 201 });
});
