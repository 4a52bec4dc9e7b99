import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { startSeriesPayment } from "@/lib/booking/pay-series";
import { AppError } from "@/lib/errors";
import { clientIp, consumeLimits, paymentAttemptLimits } from "@/lib/rate-limit";
import { payBookingSchema } from "@/lib/validations/payment";

/** One payment for every week of the series on hold. */
export const POST = apiRoute({ auth: "user", body: payBookingSchema }, async ({ params, user, body, req }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "seriesNotFound");
  await consumeLimits(paymentAttemptLimits(params.id!));
  const actor = { id: user.id, role: user.role };
  const result = await startSeriesPayment({ seriesId: params.id!, actor, ...body, clientIp: clientIp(req.headers) });
  return NextResponse.json(result, { status: 201 });
});
