import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { encryptedJson } from "@/lib/pii/columns";
import { bookings } from "./bookings";
import { passSales } from "./passes";
import { bookingSeries } from "./series";
import { users } from "./users";

/** desk: money staff took at the venue (gateway "desk", never sent to nor reconciled with a gateway). */
export const paymentProvider = pgEnum("payment_provider", ["alipay", "wechat", "sandbox", "desk", "paypal"]);
/** How money changed hands at the desk (a desk payment's or a desk refund's method). */
export const DESK_METHODS = ["cash", "card", "other"] as const;
export type DeskMethod = (typeof DESK_METHODS)[number];
export const paymentStatus = pgEnum("payment_status", ["pending", "paid", "closed", "failed", "partially_refunded", "refunded"]);
/**
 * pending: asked of the gateway (or about to be), not final; succeeded; failed: refused or closed by
 * the gateway, the money did not move; abnormal: accepted but it could not reach the customer
 * (WeChat ABNORMAL, e.g. a frozen card) — the money is held at the gateway until staff act.
 */
export const refundStatus = pgEnum("refund_status", ["pending", "succeeded", "failed", "abnormal"]);

export const payments = pgTable(
  "payments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** What the payment buys: a booking, a pass sale, or a series' bookings together (exactly one of the three). */
    bookingId: uuid("booking_id").references(() => bookings.id),
    passSaleId: uuid("pass_sale_id").references(() => passSales.id),
    seriesId: uuid("series_id").references(() => bookingSeries.id),
    provider: paymentProvider("provider").notNull(),
    /** The wire protocol spoken: "alipay", "wechat" or "paypal" (provider "sandbox" speaks one of the first two locally). */
    gateway: text("gateway").notNull().default("alipay"),
    channel: text("channel").notNull().default("page"),
    outTradeNo: text("out_trade_no").notNull(),
    amountFen: integer("amount_fen").notNull(),
    refundedFen: integer("refunded_fen").notNull().default(0),
    status: paymentStatus("status").notNull().default("pending"),
    gatewayTradeNo: text("gateway_trade_no"),
    /** The order id the gateway assigned at creation (PayPal names its orders; Alipay and WeChat take ours). */
    gatewayOrderId: text("gateway_order_id"),
    /**
     * Paid in another currency (PayPal): its ISO code and the amount in its minor unit, fixed when the
     * order was made; refunds convert in proportion to it. Null: paid in CNY, amount_fen is the amount.
     */
    currency: text("currency"),
    currencyAmount: integer("currency_amount"),
    paidAt: timestamp("paid_at", { withTimezone: true }),
    /** due: what the booking owed when made (its hold); balance: the rest, paid online once confirmed. */
    purpose: text("purpose").$type<"due" | "balance">().notNull().default("due"),
    /** A desk payment's method (cash, card, other); null for a gateway's payment. */
    method: text("method").$type<DeskMethod>(),
    /** The staff member who took a desk payment. */
    recordedBy: uuid("recorded_by").references(() => users.id),
    /** Why, as staff put it (a desk payment). */
    note: text("note"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    // Stamped by drizzle on every update() and onConflictDoUpdate(); raw SQL updates set it themselves.
    updatedAt: timestamp("updated_at", { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    uniqueIndex("payments_out_trade_no_key").on(t.outTradeNo),
    index("payments_booking_idx").on(t.bookingId),
    // a pass sale's payments (its pay page's poll, closing its orders)
    index("payments_pass_sale_idx")
      .on(t.passSaleId)
      .where(sql`${t.passSaleId} is not null`),
    // a series' payments (its pay page's poll)
    index("payments_series_idx")
      .on(t.seriesId)
      .where(sql`${t.seriesId} is not null`),
    check("payments_order_check", sql`num_nonnulls(${t.bookingId}, ${t.passSaleId}, ${t.seriesId}) = 1`),
    // the reconciliation job queries the gateway for payments still pending
    index("payments_pending_idx")
      .on(t.createdAt)
      .where(sql`${t.status} = 'pending'`),
    check("payments_currency_check", sql`(${t.currency} is null) = (${t.currencyAmount} is null) and coalesce(${t.currencyAmount}, 1) > 0`),
    check("payments_amount_check", sql`${t.amountFen} > 0 and ${t.refundedFen} >= 0 and ${t.refundedFen} <= ${t.amountFen}`),
    check("payments_purpose_check", sql`${t.purpose} in ('due', 'balance')`),
    check(
      "payments_desk_check",
      sql`(${t.gateway} = 'desk') = (${t.method} is not null) and (${t.method} is null or ${t.method} in ('cash', 'card', 'other'))`,
    ),
  ],
);

export type Payment = typeof payments.$inferSelect;

/** Every gateway message we accepted, once: the unique key makes redelivery a no-op. */
export const paymentEvents = pgTable(
  "payment_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    provider: paymentProvider("provider").notNull(),
    eventKey: text("event_key").notNull(),
    paymentId: uuid("payment_id").references(() => payments.id),
    kind: text("kind").notNull(),
    /**
     * The notice as the gateway sent it, sealed (lib/pii): it carries buyer identifiers (Alipay
     * buyer_logon_id/buyer_id, WeChat payer openid). Nothing queries inside it; rows from before
     * were sealed by the backfill (sealPii) and pii:rotate re-encrypts it with the other columns.
     */
    payload: encryptedJson<Record<string, unknown>>()("payload").notNull(),
    outcome: text("outcome").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("payment_events_provider_event_key").on(t.provider, t.eventKey)],
);

export const refunds = pgTable(
  "refunds",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    paymentId: uuid("payment_id")
      .notNull()
      .references(() => payments.id),
    /** The refunded payment's booking; null for a pass sale's payment. */
    bookingId: uuid("booking_id").references(() => bookings.id),
    outRefundNo: text("out_refund_no").notNull(),
    amountFen: integer("amount_fen").notNull(),
    reason: text("reason").notNull(),
    status: refundStatus("status").notNull().default("pending"),
    gatewayRefundId: text("gateway_refund_id"),
    actorId: uuid("actor_id").references(() => users.id),
    /** The status word the gateway last reported (PROCESSING, SUCCESS, ABNORMAL, CLOSED, NOT_FOUND or a refusal code). */
    gatewayStatus: text("gateway_status"),
    /** Why it failed or is abnormal, as the gateway put it; shown to staff. */
    lastError: text("last_error"),
    /** When the gateway was last asked about it (request or query). */
    checkedAt: timestamp("checked_at", { withTimezone: true }),
    /** A desk refund (money handed back at the venue, never through a gateway): cash, card or other. */
    method: text("method").$type<DeskMethod>(),
    /** Who handed a desk refund back (settled it). */
    settledBy: uuid("settled_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("refunds_out_refund_no_key").on(t.outRefundNo),
    index("refunds_payment_idx").on(t.paymentId),
    check("refunds_amount_check", sql`${t.amountFen} > 0`),
    check("refunds_method_check", sql`${t.method} is null or ${t.method} in ('cash', 'card', 'other')`),
  ],
);

export type Refund = typeof refunds.$inferSelect;

/**
 * One gateway's bill of one China-time day compared with the ledger (对账): matched when every
 * difference is resolved and the totals agree. Run again, it keeps staff resolutions.
 */
export const reconciliationRuns = pgTable(
  "reconciliation_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    gateway: text("gateway").notNull(),
    billDate: text("bill_date").notNull(),
    status: text("status").notNull().default("running"),
    gatewayTotals: jsonb("gateway_totals").$type<Record<string, number>>(),
    ledgerTotals: jsonb("ledger_totals").$type<Record<string, number>>(),
    error: text("error"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("reconciliation_runs_gateway_day_key").on(t.gateway, t.billDate),
    check("reconciliation_runs_status_check", sql`${t.status} in ('running', 'matched', 'differences', 'failed')`),
  ],
);

export type ReconciliationRun = typeof reconciliationRuns.$inferSelect;

export const reconciliationItems = pgTable(
  "reconciliation_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    runId: uuid("run_id")
      .notNull()
      .references(() => reconciliationRuns.id, { onDelete: "cascade" }),
    /** kind:out_trade_no[:out_refund_no], stable across runs of the day. */
    key: text("key").notNull(),
    kind: text("kind").notNull(),
    outTradeNo: text("out_trade_no").notNull(),
    outRefundNo: text("out_refund_no"),
    paymentId: uuid("payment_id").references(() => payments.id),
    refundId: uuid("refund_id").references(() => refunds.id),
    gatewayFen: integer("gateway_fen"),
    ledgerFen: integer("ledger_fen"),
    status: text("status").notNull().default("open"),
    resolution: text("resolution"),
    note: text("note"),
    resolvedBy: uuid("resolved_by").references(() => users.id),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("reconciliation_items_run_key").on(t.runId, t.key),
    check("reconciliation_items_status_check", sql`${t.status} in ('open', 'resolved')`),
  ],
);

export type ReconciliationItem = typeof reconciliationItems.$inferSelect;

/** The bill files as the gateway served them (WeChat keeps its bills three months only). */
export const billArchives = pgTable(
  "bill_archives",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    gateway: text("gateway").notNull(),
    billDate: text("bill_date").notNull(),
    name: text("name").notNull(),
    contentBase64: text("content_base64").notNull(),
    sha256: text("sha256").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("bill_archives_gateway_day_name_key").on(t.gateway, t.billDate, t.name)],
);

/**
 * A customer's request for a fapiao (发票) on what they paid for a booking: staff issue it outside
 * Yuyue (no e-invoice integration yet) and mark it issued with its number.
 */
export const invoiceRequests = pgTable(
  "invoice_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    bookingId: uuid("booking_id")
      .notNull()
      .references(() => bookings.id),
    /** personal: 个人 (title only); company: 单位 (title and tax number). */
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    taxNo: text("tax_no"),
    email: text("email"),
    /** What had been paid and not refunded when it was asked for, fen. */
    amountFen: integer("amount_fen").notNull(),
    status: text("status").notNull().default("requested"),
    invoiceNo: text("invoice_no"),
    requestedBy: uuid("requested_by").references(() => users.id),
    issuedBy: uuid("issued_by").references(() => users.id),
    issuedAt: timestamp("issued_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    uniqueIndex("invoice_requests_booking_key").on(t.bookingId),
    index("invoice_requests_status_idx").on(t.status, t.createdAt),
    check("invoice_requests_kind_check", sql`${t.kind} in ('personal', 'company')`),
    check("invoice_requests_status_check", sql`${t.status} in ('requested', 'issued')`),
    check("invoice_requests_amount_check", sql`${t.amountFen} > 0`),
  ],
);

export type InvoiceRequest = typeof invoiceRequests.$inferSelect;
