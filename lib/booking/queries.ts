import "server-only";
import { desc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { loadBookingRecord, selectBookingRecords } from "@/db/booking-record";
import { bookings, timeslots } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { loadOwnBooking, quoteCancellation } from "./cancel-booking";
import { activeStatuses, toBookingDto, type BookingDto } from "./dto";

export type BookingView = BookingDto & {
  serviceName: string;
  serviceNameEn: string | null;
  cancellation: { allowed: boolean; deadline: string; refundFen: number; refundPercent: number } | null;
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
  const dto = toBookingDto(booking, row.slot);
  return { ...dto, serviceName: row.service.name, serviceNameEn: row.service.nameEn, cancellation: await withCancellation(db, dto, now) };
}

/** A customer's bookings, newest slot first. */
export async function listCustomerBookings(db: Db, customerId: string, now = new Date()): Promise<BookingView[]> {
  const rows = await selectBookingRecords(db, eq(bookings.customerId, customerId)).orderBy(desc(timeslots.startsAt)).limit(200);
  return Promise.all(
    rows.map(async (r) => {
      const dto = toBookingDto(r.booking, r.slot);
      return { ...dto, serviceName: r.service.name, serviceNameEn: r.service.nameEn, cancellation: await withCancellation(db, dto, now) };
    }),
  );
}
