import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { currentBusiness } from "@/lib/business/queries";
import { listPlans, toPlanDto } from "@/lib/passes/queries";
import { savePassPlan } from "@/lib/passes/save-plan";
import { passPlanSchema } from "@/lib/validations/passes";

export const GET = apiRoute({ auth: "staff" }, async () => {
  const db = getDb();
  return NextResponse.json({ plans: (await listPlans(db, (await currentBusiness(db)).id)).map(toPlanDto) });
});

export const POST = apiRoute({ auth: "staff", body: passPlanSchema }, async ({ body, user }) => {
  const business = await currentBusiness(getDb());
  const plan = await savePassPlan({ ...body, businessId: business.id, actorId: user.id });
  return NextResponse.json({ plan: toPlanDto(plan) }, { status: 201 });
});
