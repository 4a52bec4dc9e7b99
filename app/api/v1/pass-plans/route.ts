import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { currentBusiness } from "@/lib/business/queries";
import { listPlans, toPlanDto } from "@/lib/passes/queries";

export const GET = apiRoute({ auth: "none" }, async () => {
  const db = getDb();
  const business = await currentBusiness(db);
  return NextResponse.json({ plans: (await listPlans(db, business.id, true)).map(toPlanDto) });
});
