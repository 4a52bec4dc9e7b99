import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { invoiceRequestOf, requestInvoice } from "@/lib/booking/invoice-requests";
import { invoiceDto } from "@/lib/booking/invoice-dto";
import { AppError } from "@/lib/errors";
import { invoiceRequestSchema } from "@/lib/validations/invoice";

const bookingId = (id: string | undefined) => {
  if (!z.uuid().safeParse(id).success) throw new AppError("NOT_FOUND", "bookingNotFound");
  return id!;
};

/** The booking's fapiao request, or null. */
export const GET = apiRoute({ auth: "user" }, async ({ params, user }) => {
  const invoice = await invoiceRequestOf(getDb(), bookingId(params.id), { id: user.id, role: user.role });
  return NextResponse.json({ invoice: invoice && invoiceDto(invoice) });
});

/** Ask for (or correct, until issued) a fapiao on what was paid for the booking. */
export const POST = apiRoute({ auth: "user", body: invoiceRequestSchema }, async ({ params, user, body }) => {
  const invoice = await requestInvoice(getDb(), bookingId(params.id), { id: user.id, role: user.role }, body);
  return NextResponse.json({ invoice: invoiceDto(invoice) }, { status: 201 });
});
