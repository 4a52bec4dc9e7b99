"use server";

import { requestLocale } from "@/lib/i18n/server";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { recordDeskPayment, settleDeskRefund } from "@/lib/booking/desk-payments";
import { bookingBalance } from "@/lib/booking/money-facts";
import { rescheduleBooking } from "@/lib/booking/reschedule-booking";
import { checkInBooking, completeBooking, markNoShow } from "@/lib/booking/staff-transitions";
import { actorOf } from "@/lib/dashboard/auth";
import { cancelByStaff, confirmOffline, refundManually } from "@/lib/booking/staff-commands";
import { parseInput, runStaffAction, type DashResult } from "@/lib/dashboard/run-action";
import { formatFen } from "@/lib/money";
import { checkInGuessLimits, clientIp, limitFailures } from "@/lib/rate-limit";
import {
  cancelSchema,
  checkInSchema,
  confirmSchema,
  deskPaymentSchema,
  deskRefundSchema,
  manualRefundSchema,
  reasonSchema,
  rescheduleSchema,
} from "@/lib/validations/dashboard";

const form = (fd: FormData) => Object.fromEntries(fd);
const refresh = (bookingId?: string) => {
  revalidatePath("/dashboard", "layout");
  if (bookingId) revalidatePath(`/dashboard/bookings/${bookingId}`);
};

export async function checkInAction(
  _prev: DashResult | null,
  fd: FormData,
): Promise<DashResult<{ bookingId: string; balanceFen: number }>> {
  return runStaffAction(async (user) => {
    const { code } = parseInput(checkInSchema, form(fd));
    const ip = clientIp(await headers());
    const booking = await limitFailures(checkInGuessLimits(user.id, ip), ["NOT_FOUND"], () =>
      checkInBooking({ code, actor: actorOf(user) }),
    );
    refresh(booking.id);
    const t = await getTranslations("dash.actions");
    // The balance to collect now, said with the check-in.
    const { balanceFen } = await bookingBalance(getDb(), booking);
    const message =
      balanceFen > 0
        ? t("checkedInCollect", { code: booking.code, amount: formatFen(balanceFen) })
        : t("checkedIn", { code: booking.code });
    return { ok: true, message, data: { bookingId: booking.id, balanceFen } };
  });
}

export async function deskPaymentAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(async (user) => {
    const input = parseInput(deskPaymentSchema, form(fd));
    const { payment, balance } = await recordDeskPayment({ ...input, actor: actorOf(user) });
    refresh(input.bookingId);
    return {
      ok: true,
      message: (await getTranslations("dash.actions"))("deskPaid", {
        amount: formatFen(payment.amountFen),
        balance: formatFen(balance.balanceFen),
      }),
    };
  });
}

export async function deskRefundAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(async (user) => {
    const input = parseInput(deskRefundSchema, form(fd));
    const refund = await settleDeskRefund({ ...input, actor: actorOf(user) });
    refresh(refund.bookingId ?? undefined);
    return { ok: true, message: (await getTranslations("dash.actions"))("deskRefunded", { amount: formatFen(refund.amountFen) }) };
  });
}

export async function confirmAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(async (user) => {
    const input = parseInput(confirmSchema, form(fd));
    await confirmOffline({ ...input, actor: actorOf(user) });
    refresh(input.bookingId);
    return { ok: true, message: (await getTranslations("dash.actions"))("confirmed") };
  });
}

export async function completeAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(async (user) => {
    const input = parseInput(reasonSchema, form(fd));
    await completeBooking({ ...input, actor: actorOf(user) });
    refresh(input.bookingId);
    return { ok: true, message: (await getTranslations("dash.actions"))("completed") };
  });
}

export async function noShowAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(async (user) => {
    const input = parseInput(reasonSchema, form(fd));
    await markNoShow({ ...input, actor: actorOf(user) });
    refresh(input.bookingId);
    return { ok: true, message: (await getTranslations("dash.actions"))("noShowMarked") };
  });
}

export async function cancelAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(async (user) => {
    const input = parseInput(cancelSchema, form(fd));
    const result = await cancelByStaff({ ...input, actor: actorOf(user) });
    refresh(input.bookingId);
    const t = await getTranslations("dash.actions");
    return {
      ok: true,
      message: t(result.refundRequested ? "cancelledRefunded" : "cancelledNoRefund", {
        amount: formatFen(result.refundFen),
        percent: result.percent,
      }),
    };
  });
}

export async function rescheduleAction(_prev: DashResult | null, fd: FormData): Promise<DashResult<{ bookingId: string }>> {
  return runStaffAction(async (user) => {
    const input = parseInput(rescheduleSchema, form(fd));
    const moved = await rescheduleBooking({ ...input, actor: actorOf(user), locale: await requestLocale() });
    refresh(input.bookingId);
    return {
      ok: true,
      message: (await getTranslations("dash.actions"))("rescheduled", { code: moved.code }),
      data: { bookingId: moved.id },
    };
  });
}

export async function refundAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(async (user) => {
    const input = parseInput(manualRefundSchema, form(fd));
    const requested = await refundManually({ ...input, actor: actorOf(user) });
    refresh(input.bookingId);
    return { ok: true, message: (await getTranslations("dash.actions"))("refundRequested", { amount: formatFen(requested) }) };
  });
}
