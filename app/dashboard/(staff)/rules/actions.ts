"use server";

import { requestLocale } from "@/lib/i18n/server";
import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { dryRunRules, type DryRunResult } from "@/lib/booking/dry-run";
import { parseInput, runStaffAction, type DashResult } from "@/lib/dashboard/run-action";
import { saveBusinessPolicy, saveCustomRules } from "@/lib/business/save-rules";
import { upcomingOpenSlots } from "@/lib/services/staff-queries";
import { dryRunSchema, jsonField } from "@/lib/validations/dashboard";
import { z } from "zod";

const jsonInput = (fd: FormData, name: string) =>
  parseInput(z.object({ [name]: jsonField(z.unknown()) }), { [name]: fd.get(name) ?? "" })[name];

export async function savePolicyAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(async (user) => {
    await saveBusinessPolicy(jsonInput(fd, "policy"), user.id);
    revalidatePath("/dashboard/rules");
    return { ok: true, message: (await getTranslations("dash.rules"))("policySaved") };
  });
}

export async function saveCustomRulesAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(async (user) => {
    const saved = await saveCustomRules(jsonInput(fd, "rules"), user.id);
    revalidatePath("/dashboard/rules");
    return { ok: true, message: (await getTranslations("dash.rules"))("rulesSaved", { count: saved.length }) };
  });
}

/** Open slots of a service for the dry-run picker. */
export async function slotsForServiceAction(serviceId: string): Promise<DashResult<{ id: string; startsAt: string; remaining: number }[]>> {
  return runStaffAction(async () => {
    const { id } = parseInput(z.object({ id: z.uuid() }), { id: serviceId });
    const slots = await upcomingOpenSlots(getDb(), id);
    return { ok: true, data: slots.map((s) => ({ ...s, startsAt: s.startsAt.toISOString() })) };
  });
}

export async function dryRunAction(_prev: DashResult<DryRunResult> | null, fd: FormData): Promise<DashResult<DryRunResult>> {
  return runStaffAction(async () => {
    const input = parseInput(dryRunSchema, Object.fromEntries(fd));
    const useDraft = fd.get("useDraft") === "on";
    const draft = useDraft ? jsonInput(fd, "draftRules") : undefined;
    const businessPolicy = useDraft && fd.get("draftPolicy") ? jsonInput(fd, "draftPolicy") : undefined;
    const result = await dryRunRules({ ...input, customRules: draft, businessPolicy, locale: await requestLocale() });
    const t = await getTranslations("dash.rules");
    return { ok: true, message: result.allowed ? t("allowed") : t("notAllowed", { count: result.violations.length }), data: result };
  });
}
