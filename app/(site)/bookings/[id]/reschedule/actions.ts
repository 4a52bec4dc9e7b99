"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import type { BookingFormState } from "@/components/booking/types";
import { fieldErrors } from "@/lib/actions";
import { auth } from "@/lib/auth";
import { rescheduleBooking } from "@/lib/booking/reschedule-booking";
import { toLocale } from "@/lib/i18n/config";
import { bookingErrorState } from "@/lib/site/booking-errors";

const rescheduleSchema = z.object({ bookingId: z.uuid(), timeslotId: z.uuid() });

/** Moves the customer's booking to another slot of the same service (one transaction in the domain). */
export async function rescheduleAction(_prev: BookingFormState, formData: FormData): Promise<BookingFormState> {
  const t = await getTranslations("booking.errors");
  const locale = toLocale(await getLocale());
  const session = await auth();
  if (!session?.user?.id) return { ok: false, code: "UNAUTHENTICATED", message: t("signIn") };
  const parsed = rescheduleSchema.safeParse({ bookingId: formData.get("bookingId"), timeslotId: formData.get("timeslotId") });
  if (!parsed.success) return { ok: false, code: "VALIDATION_FAILED", message: t("invalid"), fieldErrors: fieldErrors(parsed.error) };
  let movedId: string;
  try {
    const moved = await rescheduleBooking({
      bookingId: parsed.data.bookingId,
      timeslotId: parsed.data.timeslotId,
      actor: { id: session.user.id, role: session.user.role },
      locale,
    });
    movedId = moved.id;
  } catch (e) {
    return bookingErrorState(e, locale);
  }
  revalidatePath("/me");
  redirect(`/bookings/${movedId}?rescheduled=1`);
}
