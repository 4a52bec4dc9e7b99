import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { cancelBooking } from "@/lib/booking/cancel-booking";
import { AppError } from "@/lib/errors";
import { cancelBookingSchema } from "@/lib/validations/booking";

export const POST = apiRoute({ auth: "user", body: cancelBookingSchema }, async ({ params, user, body }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "bookingNotFound");
  const result = await cancelBooking({ bookingId: params.id!, actor: { id: user.id, role: user.role }, reason: body.reason });
  return NextResponse.json({
    booking: result.booking,
    refund: { amountFen: result.refundFen, percent: result.quote.refund.percent },
  });
});
