import { sql } from "drizzle-orm";
import { check, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";
import { encryptedJson } from "@/lib/pii/columns";
import { businesses } from "./businesses";
import { resources } from "./resources";
import { bookingSeries } from "./series";
import { services, timeslots } from "./services";
import { users } from "./users";

export const bookingStatus = pgEnum("booking_status", ["pending_payment", "confirmed", "completed", "no_show", "expired", "cancelled"]);

export const bookings = pgTable(
  "bookings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Short code the customer shows at check-in (核销). */
    code: text("code").notNull(),
    businessId: uuid("business_id")
      .notNull()
      .references(() => businesses.id),
    serviceId: uuid("service_id")
      .notNull()
      .references(() => services.id),
    timeslotId: uuid("timeslot_id")
      .notNull()
      .references(() => timeslots.id),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => users.id),
    seats: integer("seats").notNull().default(1),
    /** The staff member serving the booking (picked by the customer or assigned, lib/booking/assign-staff); null: none. */
    staffId: uuid("staff_id").references(() => resources.id, { onDelete: "set null" }),
    status: bookingStatus("status").notNull(),
    priceFen: integer("price_fen").notNull(),
    amountDueFen: integer("amount_due_fen").notNull(),
    holdExpiresAt: timestamp("hold_expires_at", { withTimezone: true }),
    /** The booking form's answers, encrypted (lib/pii/columns.ts). */
    fields: encryptedJson<Record<string, unknown>>()("fields").notNull().default({}),
    idempotencyKey: text("idempotency_key"),
    /** The booking this one replaced; cleared if that row is ever deleted (the audit log keeps the history). */
    rescheduledFromId: uuid("rescheduled_from_id").references((): AnyPgColumn => bookings.id, { onDelete: "set null" }),
    /** The weekly series or course this booking was made and paid with, if any. */
    seriesId: uuid("series_id").references(() => bookingSeries.id),
    checkedInAt: timestamp("checked_in_at", { withTimezone: true }),
    /** A no-show staff forgave: it no longer counts in the customer's no-show facts (lib/booking/no-show). */
    noShowForgivenAt: timestamp("no_show_forgiven_at", { withTimezone: true }),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    cancelReason: text("cancel_reason"),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    // Stamped by drizzle on every update() and onConflictDoUpdate(); raw SQL updates set it themselves.
    updatedAt: timestamp("updated_at", { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    uniqueIndex("bookings_code_key").on(t.code),
    // a retried POST with the same Idempotency-Key returns the first booking
    uniqueIndex("bookings_idempotency_key").on(t.customerId, t.idempotencyKey),
    // "my bookings" and per-customer limits
    index("bookings_customer_idx").on(t.customerId, t.createdAt),
    index("bookings_timeslot_idx").on(t.timeslotId),
    // the expiry job scans unpaid holds by deadline
    index("bookings_hold_idx")
      .on(t.holdExpiresAt)
      .where(sql`${t.status} = 'pending_payment'`),
    index("bookings_service_idx").on(t.serviceId, t.createdAt),
    // a staff member's schedule, and their load when "any available" is assigned
    index("bookings_staff_idx")
      .on(t.staffId)
      .where(sql`${t.staffId} is not null`),
    // ON DELETE SET NULL finds a deleted booking's successors through this
    index("bookings_rescheduled_from_idx")
      .on(t.rescheduledFromId)
      .where(sql`${t.rescheduledFromId} is not null`),
    // a series' bookings (its confirmation, payment, cancellation)
    index("bookings_series_idx")
      .on(t.seriesId)
      .where(sql`${t.seriesId} is not null`),
    // a customer's no-shows, counted in every booking's rule facts
    index("bookings_no_show_idx")
      .on(t.customerId)
      .where(sql`${t.status} = 'no_show'`),
    check("bookings_seats_check", sql`${t.seats} > 0`),
    check("bookings_money_check", sql`${t.priceFen} >= 0 and ${t.amountDueFen} >= 0 and ${t.amountDueFen} <= ${t.priceFen}`),
  ],
);

export type Booking = typeof bookings.$inferSelect;
export type BookingStatus = Booking["status"];
