import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { businesses } from "./businesses";
import type { DateOverrides, WeeklyHours } from "./services";
import { users } from "./users";

export const resourceKind = pgEnum("resource_kind", ["staff", "room"]);

export const resources = pgTable(
  "resources",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    businessId: uuid("business_id")
      .notNull()
      .references(() => businesses.id, { onDelete: "cascade" }),
    kind: resourceKind("kind").notNull(),
    name: text("name").notNull(),
    /** The staff member's account, when the resource is a person who signs in. */
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    active: boolean("active").notNull().default(true),
    /** Shown to customers who pick a staff member (选技师): e.g. 首席发型师. */
    title: text("title"),
    /** An https URL of the staff member's photo; null: an initial avatar. */
    photoUrl: text("photo_url"),
    /**
     * The staff member's own weekly hours: they take bookings only inside them (and inside the
     * service's schedule). null: whenever the services they offer are open.
     */
    weeklyHours: jsonb("weekly_hours").$type<WeeklyHours>(),
    breaks: jsonb("breaks").$type<WeeklyHours>().notNull().default({}),
    /** date (YYYY-MM-DD, business zone) → ranges that replace the weekly hours; [] is a day off. */
    dateOverrides: jsonb("date_overrides").$type<DateOverrides>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("resources_business_idx").on(t.businessId)],
);

export type Resource = typeof resources.$inferSelect;

/** PostgreSQL tstzrange, written as '[start,end)' text. */
export const tstzrange = customType<{ data: string; driverData: string }>({
  dataType: () => "tstzrange",
});

/**
 * Time a resource is taken by a booked timeslot, buffers included: one row per timeslot and
 * resource, active while it holds at least one seat (`seats`). A shared row is the slot's room (a
 * class's eight seats share one room interval); an unshared one is a staff member assigned to
 * bookings of the slot (lib/booking/assign-staff). The exclusion constraint `resource_busy_no_overlap`
 * (custom migration) forbids two active rows of one resource from overlapping, whichever service
 * booked them.
 */
export const resourceBusy = pgTable(
  "resource_busy",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    resourceId: uuid("resource_id")
      .notNull()
      .references(() => resources.id, { onDelete: "cascade" }),
    timeslotId: uuid("timeslot_id").notNull(),
    during: tstzrange("during").notNull(),
    active: boolean("active").notNull().default(true),
    /** Seats of the slot's bookings this resource serves; the row is active while it is above zero. */
    seats: integer("seats").notNull().default(0),
    /** true: the whole slot takes the resource (a room); false: the staff member of some of its bookings. */
    shared: boolean("shared").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // reserve upserts the slot's row of each resource; release finds them
    uniqueIndex("resource_busy_timeslot_key").on(t.timeslotId, t.resourceId),
    index("resource_busy_resource_idx")
      .on(t.resourceId)
      .where(sql`${t.active}`),
    check("resource_busy_seats_check", sql`${t.seats} >= 0`),
  ],
);

export type ResourceBusy = typeof resourceBusy.$inferSelect;

export const timeOffKind = pgEnum("time_off_kind", ["leave", "sick", "other"]);

/** A staff member's absence (leave, sick day): no booking is assigned to them over it. */
export const staffTimeOff = pgTable(
  "staff_time_off",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    resourceId: uuid("resource_id")
      .notNull()
      .references(() => resources.id, { onDelete: "cascade" }),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    kind: timeOffKind("kind").notNull().default("leave"),
    note: text("note").notNull().default(""),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // availability reads a staff member's absences over a range
    index("staff_time_off_resource_idx").on(t.resourceId, t.startsAt),
    check("staff_time_off_range_check", sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

export type StaffTimeOff = typeof staffTimeOff.$inferSelect;
