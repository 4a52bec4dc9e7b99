"use server";

import { revalidatePath } from "next/cache";
import { getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import type { CancelState } from "@/components/booking/cancel-booking";
import { actionError } from "@/lib/actions";
import { auth } from "@/lib/auth";
import { cancelBooking } from "@/lib/booking/cancel-booking";
import { loadSlotContext } from "@/lib/booking/context";
import { getDb } from "@/db/client";
import { isAppError, toAppError } from "@/lib/errors";
import { toLocale } from "@/lib/i18n/config";
import { formatFen } from "@/lib/money";
import { localized } from "./booking-errors";

const cancelSchema = z.object({ bookingId: z.uuid(), reason: z.string().trim().max(500).optional() });

/** The customer cancels their own booking; cancelBooking checks ownership, state and the deadline. */
export async function cancelBookingAction(_prev: CancelState, formData: FormData): Promise<CancelState> {
  const t = await getTranslations("myBookings");
  const locale = toLocale(await getLocale());
  const session = await auth();
  if (!session?.user?.id) return { ok: false, message: t("signIn") };
  const parsed = cancelSchema.safeParse({ bookingId: formData.get("bookingId"), reason: formData.get("reason") ?? undefined });
  if (!parsed.success) return { ok: false, message: t("cancelFailed") };
  try {
    const { booking, refundFen } = await cancelBooking({
      bookingId: parsed.data.bookingId,
      actor: { id: session.user.id, role: session.user.role },
      reason: parsed.data.reason,
    });
    revalidatePath("/me");
    revalidatePath(`/bookings/${booking.id}`);
    if (refundFen <= 0) return { ok: true, message: t("cancelled") };
    const ctx = await loadSlotContext(getDb(), booking.timeslotId);
    return { ok: true, message: t("cancelledRefund", { amount: formatFen(refundFen, ctx.service.currency) }) };
  } catch (e) {
    if (isAppError(e) && e.code === "RULE_VIOLATION") return { ok: false, message: t("pastDeadline") };
    const expected = toAppError(e, "cancel action");
    if (expected) return { ok: false, message: localized(expected.message, locale) };
    return actionError(e, (await getTranslations("errors"))("generic"));
  }
}
