"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { actorOf } from "@/lib/dashboard/auth";
import { parseInput, runStaffAction, type DashResult } from "@/lib/dashboard/run-action";
import { resolveSlotConflict } from "@/lib/booking/slot-conflicts";
import { conflictActionSchema } from "@/lib/validations/schedule";

/** Cancel (refund and notice through the staff cancellation) or keep the bookings of one conflicting slot. */
export async function resolveConflictAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(async (user) => {
    const input = parseInput(conflictActionSchema, Object.fromEntries(fd));
    const { cancelled } = await resolveSlotConflict({ ...input, actor: actorOf(user) });
    revalidatePath("/dashboard", "layout");
    const t = await getTranslations("dash.conflicts");
    return { ok: true, message: input.action === "keep" ? t("kept") : t("cancelled", { count: cancelled.length }) };
  });
}
