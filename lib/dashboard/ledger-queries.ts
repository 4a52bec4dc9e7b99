import "server-only";
import { and, count, desc, eq, gte, ilike, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { qualified } from "@/db/sql";
import { bookings, payments, refunds, services, users, type BookingStatus, type Payment, type Refund } from "@/db/schema";
import type { PaymentFilter } from "@/lib/validations/dashboard";
import { containsPattern } from "@/lib/like";
import { PAGE_SIZE } from "@/lib/booking/staff-queries";
import { dayRange } from "@/lib/booking/day-range";

/** A pending payment older than this should have been answered by the gateway: the reconciliation job must query it. */
export const STALE_PENDING_MS = 15 * 60_000;

export type Reconciliation = "ok" | "stale_pending" | "paid_not_confirmed";
export type LedgerRow = Payment & {
  bookingCode: string;
  bookingStatus: BookingStatus;
  customerName: string;
  serviceName: string;
  reconciliation: Reconciliation;
};
export type RefundRow = Refund & { bookingCode: string; customerName: string; actorName: string | null };
export type LedgerTotals = {
  paidFen: number;
  refundedFen: number;
  netFen: number;
  pendingFen: number;
  count: number;
  needsAttention: number;
};

function reconcile(p: Payment, bookingStatus: BookingStatus, now: Date): Reconciliation {
  if (p.status === "pending" && now.getTime() - p.createdAt.getTime() > STALE_PENDING_MS) return "stale_pending";
  const kept = p.status === "paid" || p.status === "partially_refunded";
  if (kept && (bookingStatus === "pending_payment" || bookingStatus === "expired")) return "paid_not_confirmed";
  return "ok";
}

function conditions(filter: PaymentFilter, timezone: string): SQL | undefined {
  const range = filter.from || filter.to ? dayRange({ from: filter.from, to: filter.to ?? filter.from }, timezone) : null;
  return and(
    filter.q
      ? or(
          ilike(payments.outTradeNo, containsPattern(filter.q)),
          ilike(bookings.code, containsPattern(filter.q)),
          ilike(users.name, containsPattern(filter.q)),
          ilike(payments.gatewayTradeNo, containsPattern(filter.q)),
        )
      : undefined,
    filter.status ? eq(payments.status, filter.status) : undefined,
    filter.provider ? eq(payments.provider, filter.provider) : undefined,
    range ? and(gte(payments.createdAt, range.start), lt(payments.createdAt, range.end)) : undefined,
  );
}

const base = (db: DbOrTx) =>
  db
    .select({
      payment: payments,
      bookingCode: bookings.code,
      bookingStatus: bookings.status,
      customerName: users.name,
      serviceName: services.name,
    })
    .from(payments)
    .innerJoin(bookings, eq(bookings.id, payments.bookingId))
    .innerJoin(users, eq(users.id, bookings.customerId))
    .innerJoin(services, eq(services.id, bookings.serviceId))
    .$dynamic();

/** Payments matching the filter (a page of them) with totals over ALL matches, and the refunds of those payments. */
export async function ledger(db: DbOrTx, filter: PaymentFilter, timezone: string, now = new Date()) {
  const where = conditions(filter, timezone);
  const rows = await base(db)
    .where(where)
    .orderBy(desc(payments.createdAt))
    .limit(PAGE_SIZE)
    .offset((filter.page - 1) * PAGE_SIZE);
  const [t] = await db
    .select({
      n: count(),
      paid: sql<number>`coalesce(sum(${payments.amountFen}) filter (where ${payments.paidAt} is not null), 0)::int`,
      refunded: sql<number>`coalesce(sum(${payments.refundedFen}), 0)::int`,
      pending: sql<number>`coalesce(sum(${payments.amountFen}) filter (where ${payments.status} = 'pending'), 0)::int`,
      attention: sql<number>`count(*) filter (where (${payments.status} = 'pending' and ${payments.createdAt} < ${new Date(now.getTime() - STALE_PENDING_MS).toISOString()}::timestamptz)
        or (${payments.status} in ('paid', 'partially_refunded') and ${bookings.status} in ('pending_payment', 'expired')))::int`,
    })
    .from(payments)
    .innerJoin(bookings, eq(bookings.id, payments.bookingId))
    .innerJoin(users, eq(users.id, bookings.customerId))
    .where(where);
  const totals: LedgerTotals = {
    count: Number(t?.n ?? 0),
    paidFen: Number(t?.paid ?? 0),
    refundedFen: Number(t?.refunded ?? 0),
    netFen: Number(t?.paid ?? 0) - Number(t?.refunded ?? 0),
    pendingFen: Number(t?.pending ?? 0),
    needsAttention: Number(t?.attention ?? 0),
  };
  const payments_: LedgerRow[] = rows.map((r) => ({
    ...r.payment,
    bookingCode: r.bookingCode,
    bookingStatus: r.bookingStatus,
    customerName: r.customerName,
    serviceName: r.serviceName,
    reconciliation: reconcile(r.payment, r.bookingStatus, now),
  }));
  return { payments: payments_, totals };
}

/** Refunds staff must act on: refused or closed by the gateway (failed), or not paid out (abnormal). */
export const REFUND_ATTENTION_STATUSES = ["failed", "abnormal"] as const;

/** The latest refunds (all, of the given payments, or those needing staff), newest first. */
export async function listRefunds(
  db: DbOrTx,
  opts: { paymentIds?: string[]; needsAttention?: boolean; limit?: number } = {},
): Promise<RefundRow[]> {
  const actor = sql<string | null>`(select name from ${users} a where a.id = ${qualified(refunds.actorId)})`;
  const rows = await db
    .select({ refund: refunds, bookingCode: bookings.code, customerName: users.name, actorName: actor })
    .from(refunds)
    .innerJoin(bookings, eq(bookings.id, refunds.bookingId))
    .innerJoin(users, eq(users.id, bookings.customerId))
    .where(
      and(
        opts.paymentIds ? (opts.paymentIds.length ? inArray(refunds.paymentId, opts.paymentIds) : sql`false`) : undefined,
        opts.needsAttention ? inArray(refunds.status, [...REFUND_ATTENTION_STATUSES]) : undefined,
      ),
    )
    .orderBy(desc(refunds.createdAt))
    .limit(opts.limit ?? 50);
  return rows.map((r) => ({ ...r.refund, bookingCode: r.bookingCode, customerName: r.customerName, actorName: r.actorName }));
}
