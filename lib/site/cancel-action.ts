"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import type { CancelState } from "@/components/booking/cancel-booking";
import { getDb } from "@/db/client";
import { parseInput, runAction } from "@/lib/actions";
import { cancelBooking } from "@/lib/booking/cancel-booking";
import { loadSlotContext } from "@/lib/booking/context";
import type { AppError } from "@/lib/errors";
import type { Locale } from "@/lib/i18n/config";
import { formatFen } from "@/lib/money";

const cancelSchema = z.object({ bookingId: z.uuid(), reason: z.string().trim().max(500).optional() });

async function cancelFailure(e: AppError, locale: Locale) {
  const t = await getTranslations({ locale, namespace: "myBookings" });
  if (e.code === "RULE_VIOLATION") return { message: t("pastDeadline") };
  if (e.code === "VALIDATION_FAILED") return { message: t("cancelFailed"), fieldErrors: undefined };
  return undefined;
}

/** The customer cancels their own booking; cancelBooking checks ownership, state and the deadline. */
export async function cancelBookingAction(_prev: CancelState, formData: FormData): Promise<CancelState> {
  return runAction({ auth: "user", onError: cancelFailure }, async (user, locale) => {
    const input = parseInput(cancelSchema, { bookingId: formData.get("bookingId"), reason: formData.get("reason") ?? undefined });
    const { booking, refundFen } = await cancelBooking({ ...input, actor: { id: user.id, role: user.role } });
    revalidatePath("/me");
    revalidatePath(`/bookings/${booking.id}`);
    const t = await getTranslations({ locale, namespace: "myBookings" });
    if (refundFen <= 0) return { ok: true, message: t("cancelled") };
    const ctx = await loadSlotContext(getDb(), booking.timeslotId);
    return { ok: true, message: t("cancelledRefund", { amount: formatFen(refundFen, ctx.service.currency) }) };
  });
}
