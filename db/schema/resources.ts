import { sql } from "drizzle-orm";
import { boolean, customType, index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { businesses } from "./businesses";
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
 * Time a resource is taken by a booked timeslot, buffers included: one row per timeslot, active
 * while the slot has at least one seat booked (a class's eight seats share one room interval).
 * The exclusion constraint `resource_busy_no_overlap` (custom migration) forbids two active rows
 * of one resource from overlapping, whichever service booked them.
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
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // reserve upserts the slot's row; release finds it
    uniqueIndex("resource_busy_timeslot_key").on(t.timeslotId),
    index("resource_busy_resource_idx")
      .on(t.resourceId)
      .where(sql`${t.active}`),
  ],
);
