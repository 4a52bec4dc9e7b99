"use server";

import { requestLocale } from "@/lib/i18n/server";
import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { rescheduleBooking } from "@/lib/booking/reschedule-booking";
import { checkInBooking, completeBooking, markNoShow } from "@/lib/booking/staff-transitions";
import { actorOf } from "@/lib/dashboard/auth";
import { cancelByStaff, confirmOffline, refundManually } from "@/lib/booking/staff-commands";
import { parseInput, runStaffAction, type DashResult } from "@/lib/dashboard/run-action";
import { formatFen } from "@/lib/money";
import {
  cancelSchema,
  checkInSchema,
  confirmSchema,
  manualRefundSchema,
  reasonSchema,
  rescheduleSchema,
} from "@/lib/validations/dashboard";

const form = (fd: FormData) => Object.fromEntries(fd);
const refresh = (bookingId?: string) => {
  revalidatePath("/dashboard", "layout");
  if (bookingId) revalidatePath(`/dashboard/bookings/${bookingId}`);
};

export async function checkInAction(_prev: DashResult | null, fd: FormData): Promise<DashResult<{ bookingId: string }>> {
  return runStaffAction(async (user) => {
    const { code } = parseInput(checkInSchema, form(fd));
    const booking = await checkInBooking({ code, actor: actorOf(user) });
    refresh(booking.id);
    const t = await getTranslations("dash.actions");
    return { ok: true, message: t("checkedIn", { code: booking.code }), data: { bookingId: booking.id } };
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
