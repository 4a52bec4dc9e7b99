"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { actorOf } from "@/lib/dashboard/auth";
import { parseInput, runStaffAction, type DashResult } from "@/lib/dashboard/run-action";
import { retryRefund } from "@/lib/payments/refunds";
import { refundIdSchema } from "@/lib/validations/dashboard";

/** Staff retry of a failed or abnormal refund (see retryRefund): the request runs as the refund job. */
export async function retryRefundAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(async (user) => {
    const { refundId } = parseInput(refundIdSchema, Object.fromEntries(fd));
    const refund = await retryRefund(getDb(), { refundId, actorId: actorOf(user).id });
    revalidatePath("/dashboard/payments");
    revalidatePath(`/dashboard/bookings/${refund.bookingId}`);
    return { ok: true, message: (await getTranslations("dash.payments"))("retryRequested", { number: refund.outRefundNo }) };
  });
}
