"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { currentBusiness } from "@/lib/business/queries";
import { parseInput, runStaffAction, type DashResult } from "@/lib/dashboard/run-action";
import { saveCoupon, savePassPlan } from "@/lib/passes/save-plan";
import { rowIdSchema } from "@/lib/validations/dashboard";
import { couponFormFromData, couponSchema, passPlanSchema, planFormFromData } from "@/lib/validations/passes";

export async function savePlanAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(async (user) => {
    const { id } = parseInput(rowIdSchema, { id: fd.get("id") });
    const input = parseInput(passPlanSchema, planFormFromData(fd));
    const business = await currentBusiness(getDb());
    const plan = await savePassPlan({ ...input, id, businessId: business.id, actorId: user.id });
    revalidatePath("/dashboard/passes");
    return { ok: true, message: (await getTranslations("dash.passes"))("planSaved", { name: plan.name }) };
  });
}

export async function saveCouponAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(async (user) => {
    const { id } = parseInput(rowIdSchema, { id: fd.get("id") });
    const input = parseInput(couponSchema, couponFormFromData(fd));
    const business = await currentBusiness(getDb());
    const coupon = await saveCoupon({ ...input, id, businessId: business.id, actorId: user.id });
    revalidatePath("/dashboard/passes");
    return { ok: true, message: (await getTranslations("dash.passes"))("couponSaved", { code: coupon.code }) };
  });
}
