import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { startPayment } from "@/lib/booking/pay-booking";
import { clientIp } from "@/lib/rate-limit";
import { payBookingSchema } from "@/lib/validations/payment";

export const POST = apiRoute({ auth: "user", body: payBookingSchema }, async ({ params, user, body, req }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "bookingNotFound");
  const ip = clientIp(req.headers, "127.0.0.1");
  const result = await startPayment({ bookingId: params.id!, actor: { id: user.id, role: user.role }, ...body, clientIp: ip });
  return NextResponse.json(result, { status: 201 });
});
