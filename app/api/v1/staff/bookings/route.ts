import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { currentBusiness } from "@/lib/business/queries";
import { bookOnBehalf } from "@/lib/booking/staff-commands";
import { PAGE_SIZE, listBookings } from "@/lib/booking/staff-queries";
import { apiLocale } from "@/lib/i18n/config";
import { bookOnBehalfSchema, bookingFilterSchema } from "@/lib/validations/dashboard";

export const GET = apiRoute({ auth: "staff", query: bookingFilterSchema }, async ({ query }) => {
  const db = getDb();
  const { timezone } = await currentBusiness(db);
  const { rows, total } = await listBookings(db, query, timezone);
  return NextResponse.json({ bookings: rows, total, page: query.page, pageSize: PAGE_SIZE });
});

/** A booking made by staff on a customer's behalf (same rules, capacity and payment as the customer's own). */
export const POST = apiRoute({ auth: "staff", body: bookOnBehalfSchema }, async ({ body, user, req }) => {
  const booking = await bookOnBehalf({
    ...body,
    actor: { id: user.id, role: user.role },
    locale: apiLocale(req.headers.get("accept-language"), user.locale),
  });
  return NextResponse.json({ booking }, { status: 201 });
});
