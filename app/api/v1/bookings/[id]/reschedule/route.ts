import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { rescheduleBooking } from "@/lib/booking/reschedule-booking";
import { AppError } from "@/lib/errors";
import { rescheduleBookingSchema, staffChoice } from "@/lib/validations/booking";

export const POST = apiRoute({ auth: "user", body: rescheduleBookingSchema }, async ({ params, user, body }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "bookingNotFound");
  const locale = user.locale === "en" ? "en" : "zh-CN";
  const booking = await rescheduleBooking({
    bookingId: params.id!,
    timeslotId: body.timeslotId,
    staffId: body.staffId === undefined ? undefined : staffChoice(body.staffId),
    actor: { id: user.id, role: user.role },
    locale,
  });
  return NextResponse.json({ booking });
});
