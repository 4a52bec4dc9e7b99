import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { bookings } from "./bookings";
import { businesses } from "./businesses";
import { users } from "./users";

/** visits: N uses (次卡); value: stored fen (储值卡); membership: a period with a discount or free bookings (会员卡). */
export const passKind = pgEnum("pass_kind", ["visits", "value", "membership"]);
export const passStatus = pgEnum("pass_status", ["active", "refunded", "void"]);
export const passSaleStatus = pgEnum("pass_sale_status", ["pending", "paid", "cancelled", "refunded"]);
export const couponKind = pgEnum("coupon_kind", ["fixed", "percent"]);

/** What staff sell: a plan is copied into each pass sold, so editing it never changes cards already held. */
export const passPlans = pgTable(
  "pass_plans",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    businessId: uuid("business_id")
      .notNull()
      .references(() => businesses.id, { onDelete: "cascade" }),
    kind: passKind("kind").notNull(),
    name: text("name").notNull(),
    priceFen: integer("price_fen").notNull(),
    /** visits: uses granted. */
    visits: integer("visits"),
    /** value: fen credited on top of the price (赠送). The card holds priceFen + bonusFen. */
    bonusFen: integer("bonus_fen").notNull().default(0),
    /** membership: percent off the price; 100 = free bookings. */
    discountPercent: integer("discount_percent"),
    /** Services the pass pays for; empty = every service of the business. */
    serviceIds: uuid("service_ids")
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    /** Days a pass is valid from its sale; null = no expiry. */
    validDays: integer("valid_days"),
    active: boolean("active").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    // the dashboard's and the shop's plan lists
    index("pass_plans_business_idx").on(t.businessId, t.active),
    check(
      "pass_plans_kind_check",
      sql`${t.priceFen} >= 0 and ${t.bonusFen} >= 0 and (${t.validDays} is null or ${t.validDays} > 0) and case ${t.kind}
        when 'visits' then ${t.visits} > 0
        when 'value' then ${t.priceFen} + ${t.bonusFen} > 0
        else ${t.discountPercent} between 1 and 100 and ${t.validDays} is not null end`,
    ),
  ],
);

/** A card a customer holds. remaining_uses / balance_fen only ever move by conditional updates (lib/passes). */
export const passes = pgTable(
  "passes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    businessId: uuid("business_id")
      .notNull()
      .references(() => businesses.id, { onDelete: "cascade" }),
    planId: uuid("plan_id").references(() => passPlans.id, { onDelete: "set null" }),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => users.id),
    kind: passKind("kind").notNull(),
    name: text("name").notNull(),
    serviceIds: uuid("service_ids")
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    remainingUses: integer("remaining_uses"),
    balanceFen: integer("balance_fen"),
    discountPercent: integer("discount_percent"),
    /** What the customer paid for it (the refund rule's basis). */
    pricePaidFen: integer("price_paid_fen").notNull().default(0),
    /** visits: uses bought; value: fen credited at the sale (bonus included). */
    grantedUses: integer("granted_uses"),
    grantedFen: integer("granted_fen"),
    status: passStatus("status").notNull().default("active"),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    // "my cards" and the customer's page
    index("passes_customer_idx").on(t.customerId, t.createdAt),
    check("passes_remaining_check", sql`${t.remainingUses} is null or ${t.remainingUses} >= 0`),
    check("passes_balance_check", sql`${t.balanceFen} is null or ${t.balanceFen} >= 0`),
  ],
);

export type PassPlan = typeof passPlans.$inferSelect;
export type Pass = typeof passes.$inferSelect;

/**
 * Every movement of a pass: sale, use by a booking, its return, grant, adjustment, refund. A booking
 * uses a pass once and gets it back once (the two partial unique indexes).
 */
export const passTransactions = pgTable(
  "pass_transactions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    passId: uuid("pass_id")
      .notNull()
      .references(() => passes.id, { onDelete: "cascade" }),
    kind: text("kind").$type<"sale" | "use" | "return" | "grant" | "adjust" | "refund">().notNull(),
    bookingId: uuid("booking_id").references(() => bookings.id, { onDelete: "set null" }),
    usesDelta: integer("uses_delta").notNull().default(0),
    valueDeltaFen: integer("value_delta_fen").notNull().default(0),
    /** membership: the discount a booking got, fen (no balance moves). */
    discountFen: integer("discount_fen").notNull().default(0),
    reason: text("reason"),
    actorId: uuid("actor_id").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // a pass's history, newest first
    index("pass_transactions_pass_idx").on(t.passId, t.createdAt),
    uniqueIndex("pass_transactions_booking_use_key")
      .on(t.bookingId)
      .where(sql`${t.kind} = 'use'`),
    uniqueIndex("pass_transactions_booking_return_key")
      .on(t.bookingId)
      .where(sql`${t.kind} = 'return'`),
    check("pass_transactions_kind_check", sql`${t.kind} in ('sale', 'use', 'return', 'grant', 'adjust', 'refund')`),
  ],
);

export type PassTransaction = typeof passTransactions.$inferSelect;

/**
 * A sale of a plan: online (a payable order, paid through lib/payments) or at the desk (method
 * cash/card/other, the staff member who took it). The pass is issued when the sale is paid.
 */
export const passSales = pgTable(
  "pass_sales",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    businessId: uuid("business_id")
      .notNull()
      .references(() => businesses.id, { onDelete: "cascade" }),
    planId: uuid("plan_id")
      .notNull()
      .references(() => passPlans.id),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => users.id),
    passId: uuid("pass_id").references(() => passes.id),
    channel: text("channel").$type<"online" | "desk">().notNull(),
    /** desk: cash | card | other; online: the provider that was paid. */
    method: text("method"),
    amountFen: integer("amount_fen").notNull(),
    refundedFen: integer("refunded_fen").notNull().default(0),
    status: passSaleStatus("status").notNull().default("pending"),
    soldBy: uuid("sold_by").references(() => users.id),
    note: text("note"),
    paidAt: timestamp("paid_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    // the ledger's sales by day
    index("pass_sales_created_idx").on(t.createdAt),
    uniqueIndex("pass_sales_pass_key").on(t.passId),
    check("pass_sales_amount_check", sql`${t.amountFen} >= 0 and ${t.refundedFen} >= 0 and ${t.refundedFen} <= ${t.amountFen}`),
    check("pass_sales_channel_check", sql`${t.channel} in ('online', 'desk')`),
  ],
);

export type PassSale = typeof passSales.$inferSelect;

/** 优惠券: a code entered in the booker; used_count moves only by a conditional increment. */
export const coupons = pgTable(
  "coupons",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    businessId: uuid("business_id")
      .notNull()
      .references(() => businesses.id, { onDelete: "cascade" }),
    /** Upper case; unique per business. */
    code: text("code").notNull(),
    kind: couponKind("kind").notNull(),
    amountFen: integer("amount_fen"),
    percent: integer("percent"),
    serviceIds: uuid("service_ids")
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    maxUses: integer("max_uses"),
    maxUsesPerCustomer: integer("max_uses_per_customer"),
    usedCount: integer("used_count").notNull().default(0),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    active: boolean("active").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    uniqueIndex("coupons_business_code_key").on(t.businessId, t.code),
    check("coupons_value_check", sql`case ${t.kind} when 'fixed' then ${t.amountFen} > 0 else ${t.percent} between 1 and 100 end`),
    check(
      "coupons_uses_check",
      sql`${t.usedCount} >= 0 and (${t.maxUses} is null or ${t.usedCount} <= ${t.maxUses}) and (${t.maxUsesPerCustomer} is null or ${t.maxUsesPerCustomer} > 0)`,
    ),
  ],
);

export type Coupon = typeof coupons.$inferSelect;

/** One use of a coupon by a booking; returned when the booking is cancelled or its hold expires. */
export const couponRedemptions = pgTable(
  "coupon_redemptions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    couponId: uuid("coupon_id")
      .notNull()
      .references(() => coupons.id, { onDelete: "cascade" }),
    bookingId: uuid("booking_id")
      .notNull()
      .references(() => bookings.id, { onDelete: "cascade" }),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => users.id),
    discountFen: integer("discount_fen").notNull(),
    returnedAt: timestamp("returned_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("coupon_redemptions_booking_key").on(t.bookingId),
    // the per-customer limit counts a customer's live redemptions of one coupon
    index("coupon_redemptions_customer_idx").on(t.couponId, t.customerId),
  ],
);
