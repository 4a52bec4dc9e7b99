import { sql } from "drizzle-orm";
import { check, index, integer, pgEnum, pgTable, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { encryptedJson } from "@/lib/pii/columns";
import { bookings } from "./bookings";
import { resources } from "./resources";
import { businesses } from "./businesses";
import { timeslots } from "./services";
import { users } from "./users";

export const waitlistStatus = pgEnum("waitlist_status", ["waiting", "offered", "booked", "expired", "left"]);

/**
 * The queue (候补) of a full timeslot. An `offered` entry holds its seats in the slot's booked_count:
 * through its pending_payment booking (`booking_id`, paid services) or by itself until
 * `offer_expires_at` (free services, accepted with POST /api/v1/waitlist/{id}/accept).
 */
export const waitlistEntries = pgTable(
  "waitlist_entries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    businessId: uuid("business_id")
      .notNull()
      .references(() => businesses.id),
    timeslotId: uuid("timeslot_id")
      .notNull()
      .references(() => timeslots.id, { onDelete: "cascade" }),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    seats: integer("seats").notNull().default(1),
    /** The service form's answers, given on joining: the offered booking carries them. */
    fields: encryptedJson<Record<string, unknown>>()("fields").notNull().default({}),
    status: waitlistStatus("status").notNull().default("waiting"),
    /** Order in the slot's queue (lower first); staff reorder by renumbering. */
    rank: integer("rank").notNull(),
    bookingId: uuid("booking_id").references(() => bookings.id, { onDelete: "set null" }),
    /** The staff member whose seat a free offer holds (lib/booking/assign-staff); the accepted booking keeps them. */
    staffId: uuid("staff_id").references(() => resources.id, { onDelete: "set null" }),
    offeredAt: timestamp("offered_at", { withTimezone: true }),
    offerExpiresAt: timestamp("offer_expires_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    // one live place per customer in a slot's queue
    uniqueIndex("waitlist_live_key")
      .on(t.timeslotId, t.customerId)
      .where(sql`${t.status} in ('waiting', 'offered')`),
    // the head of a slot's queue, taken when seats free up
    index("waitlist_queue_idx").on(t.timeslotId, t.status, t.rank),
    // "my waitlist"
    index("waitlist_customer_idx").on(t.customerId, t.createdAt),
    // the offer-expiry job scans open offers by deadline
    index("waitlist_offer_idx")
      .on(t.offerExpiresAt)
      .where(sql`${t.status} = 'offered'`),
    index("waitlist_booking_idx")
      .on(t.bookingId)
      .where(sql`${t.bookingId} is not null`),
    check("waitlist_seats_check", sql`${t.seats} > 0`),
  ],
);

export type WaitlistEntry = typeof waitlistEntries.$inferSelect;
export type WaitlistStatus = WaitlistEntry["status"];
