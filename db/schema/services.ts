import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { businesses, type PolicyJson } from "./businesses";
import { resources } from "./resources";

export const serviceKind = pgEnum("service_kind", ["appointment", "class", "consultation"]);
export const timeslotStatus = pgEnum("timeslot_status", ["open", "closed"]);
/** How "any available" picks among a service's free staff (lib/booking/assign-staff). */
export const staffPolicy = pgEnum("staff_policy", ["least_booked", "round_robin"]);

/** One custom form field; validated by lib/booking/fields. */
export type FormFieldJson = {
  key: string;
  type: string;
  label: Record<string, string>;
  required?: boolean;
  [k: string]: unknown;
};

export const services = pgTable(
  "services",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    businessId: uuid("business_id")
      .notNull()
      .references(() => businesses.id, { onDelete: "cascade" }),
    kind: serviceKind("kind").notNull().default("appointment"),
    name: text("name").notNull(),
    nameEn: text("name_en"),
    description: text("description").notNull().default(""),
    /** Shown instead of the description when the reader's language is English; null: the description. */
    descriptionEn: text("description_en"),
    durationMin: integer("duration_min").notNull(),
    priceFen: integer("price_fen").notNull().default(0),
    depositFen: integer("deposit_fen").notNull().default(0),
    currency: text("currency").notNull().default("CNY"),
    capacity: integer("capacity").notNull().default(1),
    bufferBeforeMin: integer("buffer_before_min").notNull().default(0),
    bufferAfterMin: integer("buffer_after_min").notNull().default(0),
    /**
     * The room (or a single resource) the whole slot takes; null when it needs none. The staff who
     * offer the service are its service_staff rows, one of them assigned per booking.
     */
    resourceId: uuid("resource_id").references(() => resources.id, { onDelete: "set null" }),
    staffPolicy: staffPolicy("staff_policy").notNull().default("least_booked"),
    rules: jsonb("rules").$type<PolicyJson>().notNull().default({}),
    fields: jsonb("fields").$type<FormFieldJson[]>().notNull().default([]),
    reminderOffsetsMin: integer("reminder_offsets_min")
      .array()
      .notNull()
      .default(sql`'{1440,60}'::integer[]`),
    active: boolean("active").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("services_business_idx").on(t.businessId),
    check("services_money_check", sql`${t.priceFen} >= 0 and ${t.depositFen} >= 0 and ${t.depositFen} <= ${t.priceFen}`),
    check("services_duration_check", sql`${t.durationMin} > 0`),
    check("services_capacity_check", sql`${t.capacity} > 0`),
    check("services_buffers_check", sql`${t.bufferBeforeMin} >= 0 and ${t.bufferAfterMin} >= 0`),
  ],
);

export type Service = typeof services.$inferSelect;

/**
 * Who offers a service (选技师): each staff member serves up to the service's capacity per slot, so
 * a slot holds capacity × staff seats. `weight` steers round-robin assignment of "any available".
 */
export const serviceStaff = pgTable(
  "service_staff",
  {
    serviceId: uuid("service_id")
      .notNull()
      .references(() => services.id, { onDelete: "cascade" }),
    resourceId: uuid("resource_id")
      .notNull()
      .references(() => resources.id, { onDelete: "cascade" }),
    weight: integer("weight").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "service_staff_pkey", columns: [t.serviceId, t.resourceId] }),
    // a staff member's services: whose cached days their bookings and hours touch
    index("service_staff_resource_idx").on(t.resourceId),
    check("service_staff_weight_check", sql`${t.weight} > 0`),
  ],
);

export type ServiceStaff = typeof serviceStaff.$inferSelect;

export type TimeRange = { start: string; end: string };
export type WeeklyHours = Partial<Record<"mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun", TimeRange[]>>;
/** date (YYYY-MM-DD, business zone) → ranges that replace the weekly hours; [] closes the day. */
export type DateOverrides = Record<string, TimeRange[]>;

export const schedules = pgTable(
  "schedules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    serviceId: uuid("service_id")
      .notNull()
      .references(() => services.id, { onDelete: "cascade" }),
    weeklyHours: jsonb("weekly_hours").$type<WeeklyHours>().notNull().default({}),
    breaks: jsonb("breaks").$type<WeeklyHours>().notNull().default({}),
    dateOverrides: jsonb("date_overrides").$type<DateOverrides>().notNull().default({}),
    slotIntervalMin: integer("slot_interval_min").notNull().default(30),
    windowDays: integer("window_days").notNull().default(28),
    // Stamped by drizzle on every update() and onConflictDoUpdate(); raw SQL updates set it themselves.
    updatedAt: timestamp("updated_at", { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [uniqueIndex("schedules_service_key").on(t.serviceId), check("schedules_interval_check", sql`${t.slotIntervalMin} > 0`)],
);

export type Schedule = typeof schedules.$inferSelect;

export type SlotRestrictions = { groups?: string[] };

export const timeslots = pgTable(
  "timeslots",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    serviceId: uuid("service_id")
      .notNull()
      .references(() => services.id, { onDelete: "cascade" }),
    resourceId: uuid("resource_id").references(() => resources.id, { onDelete: "set null" }),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    capacity: integer("capacity").notNull(),
    bookedCount: integer("booked_count").notNull().default(0),
    status: timeslotStatus("status").notNull().default("open"),
    restrictions: jsonb("restrictions").$type<SlotRestrictions>().notNull().default({}),
    /**
     * Set when a schedule, holiday or capacity edit left this slot outside the schedule while it had
     * bookings: it was closed to new bookings and kept for them. Cleared when it fits again.
     */
    offScheduleAt: timestamp("off_schedule_at", { withTimezone: true }),
    /** Staff chose to keep the bookings of this conflicting slot: it leaves the conflict list. */
    conflictKeptAt: timestamp("conflict_kept_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // generation is idempotent on (service, start); availability reads a service's range
    uniqueIndex("timeslots_service_start_key").on(t.serviceId, t.startsAt),
    // a booking's cache invalidation finds the other slots of its resource around its time
    index("timeslots_resource_start_idx").on(t.resourceId, t.startsAt),
    check("timeslots_capacity_check", sql`${t.bookedCount} >= 0 and ${t.bookedCount} <= ${t.capacity}`),
    check("timeslots_range_check", sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

export type Timeslot = typeof timeslots.$inferSelect;
