import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { startPayment } from "@/lib/booking/pay-booking";
import { clientIp, consumeLimits, paymentAttemptLimits } from "@/lib/rate-limit";
import { payBookingSchema } from "@/lib/validations/payment";

export const POST = apiRoute({ auth: "user", body: payBookingSchema }, async ({ params, user, body, req }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "bookingNotFound");
  await consumeLimits(paymentAttemptLimits(params.id!));
  const actor = { id: user.id, role: user.role };
  const result = await startPayment({ bookingId: params.id!, actor, ...body, clientIp: clientIp(req.headers) });
  return NextResponse.json(result, { status: 201 });
});
