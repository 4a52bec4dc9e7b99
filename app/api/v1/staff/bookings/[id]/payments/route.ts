import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { recordDeskPayment } from "@/lib/booking/desk-payments";
import { AppError } from "@/lib/errors";
import { deskPaymentBodySchema } from "@/lib/validations/dashboard";

/** A desk payment (cash, card, other) against the booking, at most its balance → 201 { booking, payment, balance }. */
export const POST = apiRoute({ auth: "staff", body: deskPaymentBodySchema }, async ({ params, body, user }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "bookingNotFound");
  const result = await recordDeskPayment({ bookingId: params.id!, actor: { id: user.id, role: user.role }, ...body });
  return NextResponse.json(result, { status: 201 });
});
