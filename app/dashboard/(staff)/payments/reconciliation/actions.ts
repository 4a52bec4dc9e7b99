"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { reconcileBill, resolveBillDifference } from "@/lib/booking/payments";
import { actorOf } from "@/lib/dashboard/auth";
import { parseInput, runStaffAction, type DashResult } from "@/lib/dashboard/run-action";
import { resolveDifferenceSchema, runReconciliationSchema } from "@/lib/validations/dashboard";

const PAGE = "/dashboard/payments/reconciliation";

/** Staff run (or re-run) one gateway's day now, instead of waiting for the 10:00 job. */
export async function runReconciliationAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(async () => {
    const { gateway, date } = parseInput(runReconciliationSchema, Object.fromEntries(fd));
    const run = await reconcileBill(getDb(), gateway, date);
    revalidatePath(PAGE);
    const t = await getTranslations("dash.reconciliation");
    return { ok: run.status !== "failed", message: t(`ran.${run.status === "running" ? "failed" : run.status}`, { date }) };
  });
}

/** Admins only: settling a difference may correct a ledger amount. */
export async function resolveDifferenceAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(
    async (user) => {
      const input = parseInput(resolveDifferenceSchema, Object.fromEntries(fd));
      await resolveBillDifference(getDb(), input.itemId, actorOf(user).id, { action: input.action, note: input.note });
      revalidatePath(PAGE);
      return { ok: true, message: (await getTranslations("dash.reconciliation"))("resolvedOk") };
    },
    { admin: true },
  );
}
