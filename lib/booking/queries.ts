import "server-only";
import { and, desc, eq, isNull, ne, or } from "drizzle-orm";
import type { Db } from "@/db/client";
import { loadBookingRecord, selectBookingRecords } from "@/db/booking-record";
import { bookings, timeslots } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { loadOwnBooking, quoteCancellation } from "./cancel-booking";
import { activeStatuses, toBookingDto, type BookingDto } from "./dto";
import { withMoneyStatus } from "./money-facts";
import type { Balance, MoneyStatus } from "./money-status";

export type BookingView = BookingDto & {
  serviceName: string;
  serviceNameEn: string | null;
  cancellation: { allowed: boolean; deadline: string; refundFen: number; refundPercent: number } | null;
  /** Where its money stands (已付定金 / 待付 / 退款中 / 已退款 …), from the payments and refunds ledger. */
  money: MoneyStatus;
  /** Price, paid, refunded and the balance still due (payable online once confirmed, or at the desk). */
  balance: Balance;
};

async function withCancellation(db: Db, dto: BookingDto, now: Date): Promise<BookingView["cancellation"]> {
  if (!activeStatuses.includes(dto.status as (typeof activeStatuses)[number])) return null;
  const [b] = await db.select().from(bookings).where(eq(bookings.id, dto.id));
  if (!b) return null;
  const q = await quoteCancellation(db, b, now);
  return { allowed: q.allowed, deadline: q.deadline.toISOString(), refundFen: q.refund.amountFen, refundPercent: q.refund.percent };
}

/** One booking the actor may see (its customer, or staff), with the refund a cancellation would give now. */
export async function getBookingView(db: Db, bookingId: string, actor: Actor, now = new Date()): Promise<BookingView> {
  const booking = await loadOwnBooking(db, bookingId, actor);
  const row = await loadBookingRecord(db, eq(bookings.id, booking.id));
  if (!row) throw new Error(`booking ${booking.id} has no timeslot`);
  const [dto] = await withMoneyStatus(db, [toBookingDto(booking, row.slot)]);
  return { ...dto!, serviceName: row.service.name, serviceNameEn: row.service.nameEn, cancellation: await withCancellation(db, dto!, now) };
}

/** A customer's bookings, newest slot first. */
export async function listCustomerBookings(db: Db, customerId: string, now = new Date()): Promise<BookingView[]> {
  // A rescheduled booking lives on in its successor (same code): the moved-away row is not a second booking.
  const rows = await selectBookingRecords(
    db,
    and(
      eq(bookings.customerId, customerId),
      or(ne(bookings.status, "cancelled"), isNull(bookings.cancelReason), ne(bookings.cancelReason, "rescheduled")),
    ),
  )
    .orderBy(desc(timeslots.startsAt))
    .limit(200);
  const dtos = await withMoneyStatus(
    db,
    rows.map((r) => toBookingDto(r.booking, r.slot)),
  );
  return Promise.all(
    dtos.map(async (dto, i) => {
      const service = rows[i]!.service;
      return { ...dto, serviceName: service.name, serviceNameEn: service.nameEn, cancellation: await withCancellation(db, dto, now) };
    }),
  );
}

/**
 * Where a reschedule chain ends, from `bookingId` forward (the booking itself when it was never moved):
 * links in older messages lead to the live booking.
 */
export async function liveBookingId(db: Db, bookingId: string): Promise<string> {
  let id = bookingId;
  // A chain is a handful of moves; the bound only guards against a cycle written by hand.
  for (let hops = 0; hops < 100; hops++) {
    const [next] = await db.select({ id: bookings.id }).from(bookings).where(eq(bookings.rescheduledFromId, id)).limit(1);
    if (!next) return id;
    id = next.id;
  }
  return id;
}
