"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { resendNotification } from "@/lib/notifications/dead-letters";
import { parseInput, runStaffAction, type DashResult } from "@/lib/dashboard/run-action";
import { notificationIdSchema } from "@/lib/validations/dashboard";

export async function resendAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(async (user) => {
    const { notificationId } = parseInput(notificationIdSchema, Object.fromEntries(fd));
    // The notifications module owns the outbox: back to pending, delivery job enqueued, audited, in one transaction.
    await resendNotification(getDb(), { id: user.id, role: user.role }, notificationId);
    revalidatePath("/dashboard/messages");
    return { ok: true, message: (await getTranslations("dash.messages"))("requeued") };
  });
}
