"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { forgiveNoShow } from "@/lib/booking/no-show";
import { moveWaitlistEntry } from "@/lib/booking/waitlist";
import { actorOf } from "@/lib/dashboard/auth";
import { parseInput, runStaffAction, type DashResult } from "@/lib/dashboard/run-action";
import { reasonSchema } from "@/lib/validations/dashboard";
import { moveWaitlistFormSchema } from "@/lib/validations/waitlist";

const form = (fd: FormData) => Object.fromEntries(fd);

/** Staff move a waiting entry in its slot's queue (audited in moveWaitlistEntry). */
export async function moveWaitlistAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(async (user) => {
    const input = parseInput(moveWaitlistFormSchema, form(fd));
    await moveWaitlistEntry({ entryId: input.entryId, position: input.position, reason: input.reason, actor: actorOf(user) });
    if (input.bookingId) revalidatePath(`/dashboard/bookings/${input.bookingId}`);
    return { ok: true, message: (await getTranslations("dash.waitlist"))("moved") };
  });
}

/** Staff forgive a no-show: it stops counting in the customer's no-show rules (audited). */
export async function forgiveNoShowAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(async (user) => {
    const input = parseInput(reasonSchema, form(fd));
    await forgiveNoShow({ ...input, actor: actorOf(user) });
    revalidatePath(`/dashboard/bookings/${input.bookingId}`);
    return { ok: true, message: (await getTranslations("dash.waitlist"))("forgiven") };
  });
}
