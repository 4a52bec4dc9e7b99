import "server-only";
import { getDb, type Db } from "@/db/client";
import { handleNotify } from "@/lib/payments/handle-notify";
import { defineJob } from "@/lib/jobs/registry";
import { reconcileBillDay, resolveDifference, yesterdayInChina, type StaffResolution } from "@/lib/payments/bill-reconciliation";
import { closeOrders, reconcileBooking, reconcileOrder, reconcileStalePayments, sweepOrphanedRefunds } from "@/lib/payments/reconcile";
import type { ApplyPaid } from "@/lib/payments/apply-paid";
import type { ProviderName } from "@/lib/payments/types";
import { applyPassPaid } from "@/lib/passes/buy-pass";
import { applyPaid as applyBookingPaid } from "./apply-payment";
import { applySeriesPaid } from "./apply-series-payment";

/*
 * The payments entry points that may confirm a booking or issue a bought card, bound to the
 * applyPaid port: payments takes it as a port and never imports booking nor passes (booking →
 * payments and passes → payments are the only directions).
 */

/** A payment buys a booking, a pass sale or a series' bookings (exactly one, by the payments_order_check). */
const applyPaid: ApplyPaid = (db, payment, fact, actorLabel) =>
  (payment.passSaleId ? applyPassPaid : payment.seriesId ? applySeriesPaid : applyBookingPaid)(db, payment, fact, actorLabel);

/** A gateway's notify (the /api/payments/<gateway>/notify routes). */
export function handlePaymentNotify(gateway: ProviderName, headers: Headers, rawBody: string, db: Db = getDb()): Promise<Response> {
  return handleNotify(gateway, headers, rawBody, applyPaid, db);
}

/** The pay page's poll: asks the gateway about the booking's pending payments right away. */
export function reconcileBookingPayments(db: Db, bookingId: string): Promise<void> {
  return reconcileBooking(db, bookingId, applyPaid);
}

/** The series' pay page poll: asks the gateway about the series' pending payments right away. */
export function reconcileSeriesPayments(db: Db, seriesId: string): Promise<void> {
  return reconcileOrder(db, { seriesId }, applyPaid);
}

/** The card order's return page: asks the gateway about its pending payments right away. */
export function reconcilePassSalePayments(db: Db, passSaleId: string): Promise<void> {
  return reconcileOrder(db, { passSaleId }, applyPaid);
}

/** Closes the booking's open gateway orders; one paid meanwhile is applied (and so refunded). */
export function closeBookingOrders(db: Db, bookingId: string, reason?: string): Promise<void> {
  return closeOrders(db, bookingId, applyPaid, reason);
}

/** Closes a booking's open gateway orders (its hold expired, or it was cancelled); enqueued by afterBookingWrite. */
export const closeOrdersJob = defineJob<{ bookingId: string; reason?: string }>({
  name: "payments.close-orders",
  options: { retryLimit: 8, retryDelay: 30, retryBackoff: true },
  async handler(data, ctx) {
    await closeBookingOrders(ctx.db, data.bookingId, data.reason);
  },
});

/** Every minute: payments pending for over a minute (and under two days) are queried; orphaned refunds too. */
export const reconcileJob = defineJob({
  name: "payments.reconcile",
  options: { schedule: "* * * * *", policy: "short", retryLimit: 1 },
  async handler(_data, ctx) {
    await sweepOrphanedRefunds(ctx.db);
    await reconcileStalePayments(ctx.db, applyPaid);
  },
});

/** One gateway's bill of one day against the ledger; lost notices confirm bookings as a notice would. */
export function reconcileBill(db: Db, gateway: ProviderName, date: string) {
  return reconcileBillDay(db, gateway, date, applyPaid);
}

/** Staff settle one open difference; the day is re-evaluated against its archived bill. */
export function resolveBillDifference(db: Db, itemId: string, actorId: string, resolution: StaffResolution) {
  return resolveDifference(db, itemId, actorId, resolution, applyPaid);
}

/**
 * Every morning at 10:00 China time (both gateways publish the previous day's bills after 9:00):
 * yesterday's bills of each configured gateway, reconciled and archived. A failed download is
 * recorded on the run and retried by the job's retries.
 */
export const reconcileBillsJob = defineJob<{ date?: string }>({
  name: "payments.reconcile-bills",
  options: { schedule: { cron: "0 10 * * *", tz: "Asia/Shanghai", data: {} }, retryLimit: 6, retryDelay: 600 },
  async handler(data, ctx) {
    const date = data.date ?? yesterdayInChina();
    const failed: string[] = [];
    for (const gateway of ["alipay", "wechat"] as const) {
      const run = await reconcileBill(ctx.db, gateway, date);
      if (run.status === "failed") failed.push(`${gateway}: ${run.error ?? "failed"}`);
    }
    if (failed.length > 0) throw new Error(`bill reconciliation of ${date} failed (${failed.join("; ")})`);
  },
});
