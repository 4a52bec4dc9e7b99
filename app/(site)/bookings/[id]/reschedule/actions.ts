"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import type { BookingFormState } from "@/components/booking/types";
import { parseInput, runAction } from "@/lib/actions";
import { rescheduleBooking } from "@/lib/booking/reschedule-booking";
import { bookingFailure } from "@/lib/site/booking-errors";

const rescheduleSchema = z.object({ bookingId: z.uuid(), timeslotId: z.uuid() });

/** Moves the customer's booking to another slot of the same service (one transaction in the domain). */
export async function rescheduleAction(_prev: BookingFormState, formData: FormData): Promise<BookingFormState> {
  return runAction({ auth: "user", onError: bookingFailure }, async (user, locale) => {
    const input = parseInput(rescheduleSchema, { bookingId: formData.get("bookingId"), timeslotId: formData.get("timeslotId") });
    const moved = await rescheduleBooking({ ...input, actor: { id: user.id, role: user.role }, locale });
    revalidatePath("/me");
    redirect(`/bookings/${moved.id}?rescheduled=1`);
  });
}
