import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { businesses } from "./businesses";
import { services } from "./services";
import { users } from "./users";

/** weekly: the same local weekday and time for `count` weeks; course: the course's sessions (courses.timeslot_ids). */
export type SeriesRule = { every: "week"; count: number; skipped: number[] } | { course: string };

/**
 * A course (课程): a class service's sessions at fixed dates and times (its timeslots), sold together
 * with one payment; each buyer's bookings form one series (kind course), and staff read one roster.
 */
export const courses = pgTable(
  "courses",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    serviceId: uuid("service_id")
      .notNull()
      .references(() => services.id),
    name: text("name").notNull(),
    /** The sessions, in date order. */
    timeslotIds: jsonb("timeslot_ids").$type<string[]>().notNull(),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  // a service's courses
  (t) => [index("courses_service_idx").on(t.serviceId)],
);

export type Course = typeof courses.$inferSelect;

/**
 * Bookings made and paid together: a weekly series (每周重复) or a course's sessions. Its bookings
 * point here (bookings.series_id) and one payment pays them all (payments.series_id); each booking
 * keeps its own state, so an occurrence is cancelled and refunded on its own.
 */
export const bookingSeries = pgTable(
  "booking_series",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    businessId: uuid("business_id")
      .notNull()
      .references(() => businesses.id),
    serviceId: uuid("service_id")
      .notNull()
      .references(() => services.id),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => users.id),
    kind: text("kind", { enum: ["weekly", "course"] }).notNull(),
    rule: jsonb("rule").$type<SeriesRule>().notNull(),
    seats: integer("seats").notNull().default(1),
    /** The course bought, for kind course. */
    courseId: uuid("course_id").references(() => courses.id),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    // "my series"
    index("booking_series_customer_idx").on(t.customerId, t.createdAt),
    check("booking_series_kind_check", sql`${t.kind} in ('weekly', 'course')`),
    // a course's roster
    index("booking_series_course_idx")
      .on(t.courseId)
      .where(sql`${t.courseId} is not null`),
    check("booking_series_seats_check", sql`${t.seats} > 0`),
    check("booking_series_course_check", sql`(${t.kind} = 'course') = (${t.courseId} is not null)`),
  ],
);

export type BookingSeries = typeof bookingSeries.$inferSelect;
export type NewBookingSeries = typeof bookingSeries.$inferInsert;

/**
 * A private iCalendar subscription (订阅日历): the URL carries a secret token, only its hash is kept.
 * customer: the user's own bookings; staff: the bookings of the resources linked to the user.
 * One active feed per user and scope; regenerating revokes the old one (its URL answers 404).
 */
export const calendarFeeds = pgTable(
  "calendar_feeds",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    scope: text("scope", { enum: ["customer", "staff"] }).notNull(),
    tokenHash: text("token_hash").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [
    // every feed request looks its token up by hash
    uniqueIndex("calendar_feeds_token_hash_key").on(t.tokenHash),
    uniqueIndex("calendar_feeds_active_key")
      .on(t.userId, t.scope)
      .where(sql`${t.revokedAt} is null`),
    check("calendar_feeds_scope_check", sql`${t.scope} in ('customer', 'staff')`),
  ],
);

export type CalendarFeed = typeof calendarFeeds.$inferSelect;
