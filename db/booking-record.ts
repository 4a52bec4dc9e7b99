import { eq, type SQL } from "drizzle-orm";
import type { DbOrTx } from "./client";
import {
  bookings,
  businesses,
  services,
  timeslots,
  users,
  type Booking,
  type Business,
  type Service,
  type Timeslot,
  type User,
} from "./schema";

/** A booking with its slot, service, business and customer: what a page, a transition or a message about it reads. */
export type BookingRecord = { booking: Booking; slot: Timeslot; service: Service; business: Business; customer: User };

/**
 * The one join of bookings to their slot, service, business and customer. `where` may name any of
 * the five tables; the query is dynamic, so callers add their own order and limit.
 */
export function selectBookingRecords(db: DbOrTx, where?: SQL) {
  return db
    .select({ booking: bookings, slot: timeslots, service: services, business: businesses, customer: users })
    .from(bookings)
    .innerJoin(timeslots, eq(timeslots.id, bookings.timeslotId))
    .innerJoin(services, eq(services.id, bookings.serviceId))
    .innerJoin(businesses, eq(businesses.id, bookings.businessId))
    .innerJoin(users, eq(users.id, bookings.customerId))
    .where(where)
    .$dynamic();
}

/** One booking with its slot, service, business and customer, or undefined. */
export async function loadBookingRecord(db: DbOrTx, where: SQL | undefined): Promise<BookingRecord | undefined> {
  const [row] = await selectBookingRecords(db, where).limit(1);
  return row;
}
