import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { createBooking } from "@/lib/booking/create-booking";
import { listCustomerBookings } from "@/lib/booking/queries";
import { AppError } from "@/lib/errors";
import { clientIp, limitBooking } from "@/lib/rate-limit";
import { createBookingSchema, idempotencyKeySchema, staffChoice } from "@/lib/validations/booking";

export const POST = apiRoute({ auth: "user", body: createBookingSchema }, async ({ body, user, req }) => {
  const key = idempotencyKeySchema.safeParse(req.headers.get("idempotency-key") ?? undefined);
  if (!key.success) throw new AppError("VALIDATION_FAILED", "Idempotency-Key must be 1-200 characters");
  const locale = user.locale === "en" ? "en" : "zh-CN";
  const booking = await limitBooking(user.id, clientIp(req.headers), () =>
    createBooking({ customerId: user.id, ...body, staffId: staffChoice(body.staffId), idempotencyKey: key.data, locale }),
  );
  return NextResponse.json({ booking }, { status: 201 });
});

export const GET = apiRoute({ auth: "user" }, async ({ user }) => {
  return NextResponse.json({ bookings: await listCustomerBookings(getDb(), user.id) });
});
