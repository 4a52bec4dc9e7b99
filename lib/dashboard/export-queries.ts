import "server-only";
import { and, asc, desc, eq, gte, lt } from "drizzle-orm";
import { DateTime } from "luxon";
import type { DbOrTx } from "@/db/client";
import { bookings, payments, services, timeslots, users } from "@/db/schema";
import { alias } from "drizzle-orm/pg-core";
import { withMoneyStatus } from "@/lib/booking/money-facts";
import { bookingRowsQuery } from "@/lib/booking/staff-queries";
import { fenToYuan, toCsv } from "./csv";
import type { DayRange } from "@/lib/booking/day-range";

const MAX_ROWS = 50_000;
const local = (d: Date | null, tz: string) => (d ? DateTime.fromJSDate(d, { zone: tz }).toFormat("yyyy-MM-dd HH:mm") : "");

/** Bookings whose appointment falls in the range, one row each, times in the business zone. */
export async function bookingsCsv(db: DbOrTx, range: DayRange, timezone: string): Promise<string> {
  const rows = await withMoneyStatus(
    db,
    await bookingRowsQuery(db)
      .where(and(gte(timeslots.startsAt, range.start), lt(timeslots.startsAt, range.end)))
      .orderBy(asc(timeslots.startsAt))
      .limit(MAX_ROWS),
  );
  return toCsv(
    [
      "code",
      "status",
      "service",
      "resource",
      "starts_at",
      "ends_at",
      "seats",
      "customer",
      "phone",
      "email",
      "price_yuan",
      "amount_due_yuan",
      "checked_in_at",
      "created_at",
      "paid_yuan",
      "refunded_yuan",
      "balance_yuan",
    ],
    rows.map((r) => [
      r.code,
      r.status,
      r.serviceName,
      r.resourceName,
      local(r.startsAt, timezone),
      local(r.endsAt, timezone),
      r.seats,
      r.customerName,
      r.customerPhone,
      r.customerEmail,
      fenToYuan(r.priceFen),
      fenToYuan(r.amountDueFen),
      local(r.checkedInAt, timezone),
      local(r.createdAt, timezone),
      fenToYuan(r.balance.paidFen),
      fenToYuan(r.balance.refundedFen),
      fenToYuan(r.balance.balanceFen),
    ]),
  );
}

const staff = alias(users, "staff");

/** Payments created in the range (gateway and desk alike), with what was refunded of each and who took a desk payment. */
export async function paymentsCsv(db: DbOrTx, range: DayRange, timezone: string): Promise<string> {
  const rows = await db
    .select({ p: payments, code: bookings.code, customer: users.name, service: services.name, recordedBy: staff.name })
    .from(payments)
    .innerJoin(bookings, eq(bookings.id, payments.bookingId))
    .innerJoin(users, eq(users.id, bookings.customerId))
    .leftJoin(staff, eq(staff.id, payments.recordedBy))
    .innerJoin(services, eq(services.id, bookings.serviceId))
    .where(and(gte(payments.createdAt, range.start), lt(payments.createdAt, range.end)))
    .orderBy(desc(payments.createdAt))
    .limit(MAX_ROWS);
  return toCsv(
    [
      "out_trade_no",
      "provider",
      "channel",
      "status",
      "amount_yuan",
      "refunded_yuan",
      "gateway_trade_no",
      "booking_code",
      "customer",
      "service",
      "created_at",
      "paid_at",
      "purpose",
      "desk_method",
      "recorded_by",
      "note",
    ],
    rows.map(({ p, code, customer, service, recordedBy }) => [
      p.outTradeNo,
      p.provider,
      p.channel,
      p.status,
      fenToYuan(p.amountFen),
      fenToYuan(p.refundedFen),
      p.gatewayTradeNo,
      code,
      customer,
      service,
      local(p.createdAt, timezone),
      local(p.paidAt, timezone),
      p.purpose,
      p.method,
      recordedBy,
      p.note,
    ]),
  );
}
