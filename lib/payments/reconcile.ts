import "server-only";
import { and, eq, gt, inArray, isNull, lt, or } from "drizzle-orm";
import type { Db } from "@/db/client";
import { payments, refunds, type Payment } from "@/db/schema";
import { audit } from "@/lib/audit";
import type { ApplyPaid, PaidOutcome } from "./apply-paid";
import { amountMatches, gatewayOrderOf, providerFor } from "./gateways";
import { queryDelaySeconds, queryRefund } from "./refunds";
import { GatewayError } from "./types";
import { log } from "@/lib/log";

/**
 * Asks the gateway about a payment still pending: a lost notify still confirms the booking (the
 * same applyPaid path, keyed on the query so it applies once), a closed order is marked closed.
 */
export async function reconcilePayment(db: Db, payment: Payment, applyPaid: ApplyPaid): Promise<PaidOutcome | "pending" | "closed"> {
  const result = await providerFor(payment).query(payment.outTradeNo, gatewayOrderOf(payment));
  if (result.status === "paid") {
    if (!amountMatches(payment, result)) {
      const reported = result.currency ? `${result.amountMinor} ${result.currency} minor` : `${result.amountFen} fen`;
      log.warn(`[payments] query of ${payment.outTradeNo} reports ${reported}, not what was ordered: not applied`);
      return "pending";
    }
    return applyPaid(
      db,
      payment,
      {
        eventKey: `query:${payment.outTradeNo}:paid`,
        gatewayTradeNo: result.gatewayTradeNo ?? "",
        amountFen: payment.amountFen,
        kind: "paid",
        payload: { source: "query" },
      },
      `gateway:${payment.gateway}:query`,
    );
  }
  if (result.status === "closed") {
    await markClosed(db, payment, "gateway reports closed");
    return "closed";
  }
  return "pending";
}

async function markClosed(db: Db, payment: Payment, reason: string) {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(payments)
      .set({ status: "closed" })
      .where(and(eq(payments.id, payment.id), eq(payments.status, "pending")))
      .returning();
    if (row) await audit(tx, { actorLabel: "system", action: "payment.closed", entityType: "payment", entityId: row.id, reason });
  });
}

/** What a payment buys: a booking or a pass sale. */
export type OrderKey = { bookingId: string } | { passSaleId: string } | { seriesId: string };
const ofOrder = (key: OrderKey) =>
  "bookingId" in key
    ? eq(payments.bookingId, key.bookingId)
    : "passSaleId" in key
      ? eq(payments.passSaleId, key.passSaleId)
      : eq(payments.seriesId, key.seriesId);

/** The pay page's poll: reconciles the booking's pending payments right away. */
export async function reconcileBooking(db: Db, bookingId: string, applyPaid: ApplyPaid): Promise<void> {
  return reconcileOrder(db, { bookingId }, applyPaid);
}

/** Reconciles the pending payments of a booking or a pass sale right away. */
export async function reconcileOrder(db: Db, key: OrderKey, applyPaid: ApplyPaid): Promise<void> {
  const pending = await db
    .select()
    .from(payments)
    .where(and(ofOrder(key), eq(payments.status, "pending")));
  for (const p of pending) await reconcilePayment(db, p, applyPaid);
}

/**
 * Closes a booking's open gateway orders (its hold expired, it was cancelled unpaid, it was paid
 * through another order, or a new order supersedes them), so nobody can pay through them any more
 * and the ledger keeps no phantom pending order; one already paid is applied instead (and so
 * refunded automatically when the booking no longer needs it).
 */
export async function closeOrders(db: Db, bookingId: string, applyPaid: ApplyPaid, reason = "hold expired"): Promise<void> {
  const pending = await db
    .select()
    .from(payments)
    .where(and(eq(payments.bookingId, bookingId), eq(payments.status, "pending")));
  for (const p of pending) {
    try {
      await providerFor(p).close(p.outTradeNo, gatewayOrderOf(p));
      await markClosed(db, p, reason);
    } catch (e) {
      if (e instanceof GatewayError && e.code === "ALREADY_PAID") await reconcilePayment(db, p, applyPaid);
      else throw e;
    }
  }
}

/**
 * Refunds still open that no query has looked at for longer than the longest query delay: their
 * chain of refund queries was lost (a refund job that gave up, a dead-lettered query). Each is
 * asked once here, which starts a new chain while it is still processing.
 */
export async function sweepOrphanedRefunds(db: Db, now = new Date(), limit = 100): Promise<number> {
  const quiet = new Date(now.getTime() - ORPHAN_AFTER_MS);
  const rows = await db
    .select({ id: refunds.id })
    .from(refunds)
    .where(
      and(
        inArray(refunds.status, ["pending", "abnormal"]),
        // A desk refund is settled by staff at the venue: no gateway knows it.
        isNull(refunds.method),
        lt(refunds.createdAt, new Date(now.getTime() - 3_600_000)),
        or(isNull(refunds.checkedAt), lt(refunds.checkedAt, quiet)),
      ),
    )
    .limit(limit);
  for (const r of rows) {
    try {
      await queryRefund(db, r.id, QUERY_BACKOFF_STEPS);
    } catch (e) {
      log.warn(`[payments] refund query of ${r.id} failed:`, e instanceof Error ? e.message : e);
    }
  }
  return rows.length;
}

/** Longer than the longest delay between two queries of one refund (6 h): nobody is asking about it. */
const ORPHAN_AFTER_MS = (queryDelaySeconds(Number.MAX_SAFE_INTEGER) + 3600) * 1000;
const QUERY_BACKOFF_STEPS = 100;

/** Payments pending for over a minute (and under two days) are queried (the reconcile job, every minute). */
export async function reconcileStalePayments(db: Db, applyPaid: ApplyPaid): Promise<void> {
  const now = Date.now();
  const stale = await db
    .select()
    .from(payments)
    .where(
      and(
        eq(payments.status, "pending"),
        lt(payments.createdAt, new Date(now - 60_000)),
        gt(payments.createdAt, new Date(now - 2 * 86_400_000)),
      ),
    )
    .limit(200);
  for (const p of stale) {
    try {
      await reconcilePayment(db, p, applyPaid);
    } catch (e) {
      log.warn(`[payments] reconcile of ${p.outTradeNo} failed:`, e instanceof Error ? e.message : e);
    }
  }
}
