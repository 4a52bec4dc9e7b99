import "server-only";
import { storedText } from "@/lib/i18n/error-text";
import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import type { Db, DbOrTx, Tx } from "@/db/client";
import { payments, refunds, type Refund } from "@/db/schema";
import { audit } from "@/lib/audit";
import { appUrl } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { enqueue } from "@/lib/jobs/enqueue";
import { defineJob } from "@/lib/jobs/registry";
import { refundIssued, refundNeedsAttention } from "@/lib/notifications/booking-events";
import { gatewayOrderOf, newTradeNo, providerFor } from "./gateways";
import { GatewayError, type RefundResult } from "./types";

/** Refunds whose money is committed at the gateway (or about to be): not available to refund again. */
export const OPEN_REFUND_STATUSES = ["pending", "abnormal"] as const;

/** Executes one refund row against its gateway; retried with backoff, so a gateway outage loses nothing. */
export const refundJob = defineJob<{ refundId: string; attempt?: number }>({
  name: "payments.refund",
  options: { retryLimit: 8, retryDelay: 30, retryBackoff: true, retryDelayMax: 3600 },
  async handler(data, ctx) {
    await executeRefund(ctx.db, data.refundId, data.attempt ?? 0);
  },
});

/**
 * Asks the gateway where a refund stands; scheduled once the gateway has accepted a refund without
 * settling it, and again with a growing delay while it is still processing. A notice that never
 * comes therefore never leaves a refund pending for good.
 */
export const refundQueryJob = defineJob<{ refundId: string; attempt: number }>({
  name: "payments.refund-query",
  options: { retryLimit: 6, retryDelay: 60, retryBackoff: true, retryDelayMax: 3600 },
  async handler(data, ctx) {
    await queryRefund(ctx.db, data.refundId, data.attempt);
  },
});

/** WeChat's advice: ask after 1 minute, then back off (5, 10, 20, 30 min…); at most every 6 h. */
const QUERY_DELAYS_S = [60, 60, 300, 600, 1200, 1800, 3600, 7200, 14_400, 21_600];
export const queryDelaySeconds = (attempt: number): number => QUERY_DELAYS_S[Math.min(Math.max(attempt, 0), QUERY_DELAYS_S.length - 1)]!;

/** A refund still processing after this long is shown to staff (WeChat closes it after 7 days). */
export const STUCK_REFUND_MS = 24 * 3_600_000;

/**
 * Writes refund rows for `amountFen` across the booking's paid payments (never more than each has
 * left) and enqueues their execution, all in the caller's transaction: a cancellation and its refund
 * commit together. Payment rows are locked so two refunds cannot overdraw one.
 * Order: the gateway payments first (oldest first), then the desk payments. Money sent back through
 * the gateway reaches the customer without a visit; what is left is a desk refund (a refund row with
 * a method, pending until staff record handing it back: settleDeskRefund), shown to staff as owed.
 */
export async function requestRefund(
  tx: DbOrTx,
  input: {
    bookingId?: string | null;
    /** The booking's series: its share of the series' one payment is refundable too. */
    seriesId?: string | null;
    paymentId?: string;
    amountFen: number;
    reason: string;
    actorId?: string | null;
  },
): Promise<Refund[]> {
  if (input.amountFen <= 0) return [];
  // One payment (a pass sale's, money nothing could take), or every payment of the booking (and of its series).
  const ofBooking = input.bookingId
    ? input.seriesId
      ? or(eq(payments.bookingId, input.bookingId), eq(payments.seriesId, input.seriesId))
      : eq(payments.bookingId, input.bookingId)
    : undefined;
  const of = input.paymentId ? eq(payments.id, input.paymentId) : ofBooking;
  if (!of) return [];
  const paid = await tx
    .select()
    .from(payments)
    .where(and(of, inArray(payments.status, ["paid", "partially_refunded"])))
    .orderBy(sql`${payments.gateway} = 'desk'`, asc(payments.paidAt))
    .for("update");
  const created: Refund[] = [];
  let left = input.amountFen;
  for (const p of paid) {
    if (left <= 0) break;
    const amount = Math.min(left, await refundableFen(tx, p));
    if (amount <= 0) continue;
    const [row] = await tx
      .insert(refunds)
      .values({
        paymentId: p.id,
        bookingId: input.bookingId ?? p.bookingId,
        outRefundNo: newTradeNo("R"),
        amountFen: amount,
        reason: input.reason,
        actorId: input.actorId ?? null,
        method: p.method,
      })
      .returning();
    if (!row) continue;
    await audit(tx, {
      actorId: input.actorId ?? null,
      action: "refund.requested",
      entityType: "refund",
      entityId: row.id,
      reason: input.reason,
      data: { paymentId: p.id, amountFen: amount },
    });
    // A desk refund has no gateway to ask: it waits for staff to hand the money back.
    if (!row.method) await enqueue(tx, refundJob, { refundId: row.id });
    created.push(row);
    left -= amount;
  }
  return created;
}

/** What is left to refund on a payment: received, minus refunded, minus refunds still open. */
async function refundableFen(tx: DbOrTx, p: { id: string; amountFen: number; refundedFen: number }): Promise<number> {
  const [open] = await tx
    .select({ n: sql<number>`coalesce(sum(${refunds.amountFen}), 0)::int` })
    .from(refunds)
    .where(and(eq(refunds.paymentId, p.id), inArray(refunds.status, [...OPEN_REFUND_STATUSES])));
  return p.amountFen - p.refundedFen - Number(open?.n ?? 0);
}

export type Settlement = {
  status: "succeeded" | "failed" | "abnormal";
  /** The gateway's word for it: SUCCESS, CLOSED, ABNORMAL, a refusal code… */
  gatewayStatus?: string;
  gatewayRefundId?: string;
  /** What staff read when it failed or is abnormal. */
  error?: string;
};

/**
 * Moves a refund to what the gateway reported, once, in the caller's transaction: succeeded adds
 * to the payment's refunded total and tells the customer; failed or abnormal tells staff. Guarded
 * on the current status (pending, or abnormal for a later success), so a repeat changes nothing.
 */
export async function settleRefund(tx: Tx, refundId: string, s: Settlement, actorLabel = "system"): Promise<Refund | null> {
  const now = new Date();
  const from = s.status === "succeeded" ? [...OPEN_REFUND_STATUSES] : (["pending"] as const);
  const [r] = await tx
    .update(refunds)
    .set({
      status: s.status,
      completedAt: s.status === "abnormal" ? null : now,
      checkedAt: now,
      lastError: s.status === "succeeded" ? null : (s.error ?? null),
      ...(s.gatewayStatus ? { gatewayStatus: s.gatewayStatus } : {}),
      ...(s.gatewayRefundId ? { gatewayRefundId: s.gatewayRefundId } : {}),
    })
    .where(and(eq(refunds.id, refundId), inArray(refunds.status, [...from])))
    .returning();
  if (!r) return null;
  if (s.status === "succeeded") {
    await tx
      .update(payments)
      .set({
        refundedFen: sql`${payments.refundedFen} + ${r.amountFen}`,
        status: sql`case when ${payments.refundedFen} + ${r.amountFen} >= ${payments.amountFen} then 'refunded'::payment_status else 'partially_refunded'::payment_status end`,
      })
      .where(eq(payments.id, r.paymentId));
    if (r.bookingId) await refundIssued(tx, r.bookingId, r.amountFen, r.id);
  } else {
    const problem = storedText(s.status === "abnormal" ? "refundAbnormal" : "refundFailed", s.error ?? s.gatewayStatus ?? "");
    if (r.bookingId)
      await refundNeedsAttention(tx, r.bookingId, {
        id: r.id,
        amountFen: r.amountFen,
        problem,
        occurrence: `${s.status}:${now.getTime()}`,
      });
  }
  await audit(tx, {
    actorLabel,
    action: `refund.${s.status}`,
    entityType: "refund",
    entityId: r.id,
    data: { amountFen: r.amountFen, gatewayStatus: s.gatewayStatus, gatewayRefundId: s.gatewayRefundId, error: s.error },
  });
  return r;
}

/** Marks a refund done once (guarded on pending) and moves the payment's refunded total with it. */
export async function completeRefund(
  db: Db,
  refundId: string,
  outcome: "succeeded" | "failed",
  gatewayRefundId?: string,
): Promise<boolean> {
  return db.transaction(async (tx) => Boolean(await settleRefund(tx, refundId, { status: outcome, gatewayRefundId })));
}

async function loadRefund(db: DbOrTx, refundId: string) {
  const [row] = await db
    .select({ refund: refunds, payment: payments })
    .from(refunds)
    .innerJoin(payments, eq(payments.id, refunds.paymentId))
    .where(eq(refunds.id, refundId));
  return row;
}

/** Still processing: remember what the gateway said and ask again later. */
async function followUp(db: Db, refund: Refund, gatewayStatus: string, attempt: number, gatewayRefundId?: string): Promise<void> {
  const now = new Date();
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(refunds)
      .set({ gatewayStatus, checkedAt: now, ...(gatewayRefundId ? { gatewayRefundId } : {}) })
      .where(and(eq(refunds.id, refund.id), eq(refunds.status, "pending")))
      .returning();
    if (!row) return;
    if (now.getTime() - row.createdAt.getTime() > STUCK_REFUND_MS) {
      const problem = storedText("refundStuck", gatewayStatus);
      // One message per refund for this: the key makes repeats a no-op.
      if (row.bookingId)
        await refundNeedsAttention(tx, row.bookingId, { id: row.id, amountFen: row.amountFen, problem, occurrence: "stuck" });
    }
    await enqueue(tx, refundQueryJob, { refundId: row.id, attempt }, { startAfter: queryDelaySeconds(attempt) });
  });
}

async function applyAnswer(db: Db, refund: Refund, result: RefundResult, attempt: number): Promise<void> {
  if (result.status === "pending") return followUp(db, refund, result.gatewayStatus ?? "PROCESSING", attempt, result.gatewayRefundId);
  const status = result.status;
  await db.transaction(async (tx) => {
    const settled = await settleRefund(tx, refund.id, {
      status,
      gatewayStatus: result.gatewayStatus,
      gatewayRefundId: result.gatewayRefundId,
      error: status === "abnormal" ? "WeChat ABNORMAL" : undefined,
    });
    // Asked again while already abnormal: only note that it was checked.
    if (!settled)
      await tx
        .update(refunds)
        .set({ checkedAt: new Date(), ...(result.gatewayStatus ? { gatewayStatus: result.gatewayStatus } : {}) })
        .where(eq(refunds.id, refund.id));
  });
}

/**
 * Calls the gateway for a pending (or abnormal: a staff retry) refund; the out_refund_no makes a
 * repeated call idempotent there. A refusal is final until staff retry it; a transient failure
 * throws so the job is retried; an accepted refund that is still processing is queried later.
 */
export async function executeRefund(db: Db, refundId: string, attempt = 0): Promise<void> {
  const row = await loadRefund(db, refundId);
  if (!row || row.refund.method || !(OPEN_REFUND_STATUSES as readonly string[]).includes(row.refund.status)) return;
  const { refund, payment } = row;
  let result: RefundResult;
  try {
    result = await providerFor(payment).refund({
      outTradeNo: payment.outTradeNo,
      outRefundNo: refund.outRefundNo,
      amountFen: refund.amountFen,
      totalFen: payment.amountFen,
      reason: refund.reason.slice(0, 80),
      notifyUrl: `${appUrl()}/api/payments/${payment.gateway}/notify`,
      order: gatewayOrderOf(payment),
    });
  } catch (e) {
    if (e instanceof GatewayError && e.code === "REFUND_FAILED") {
      await db.transaction((tx) =>
        settleRefund(tx, refund.id, { status: "failed", gatewayStatus: e.gatewayCode ?? "REFUSED", error: e.message }),
      );
      return;
    }
    throw e;
  }
  await applyAnswer(db, refund, result, attempt);
}

/**
 * The refund query: settles what the gateway reports as final; a refund the gateway never took is
 * requested again under the same out_refund_no (both gateways allow it); one still processing is
 * asked about again after the next, longer delay.
 */
export async function queryRefund(db: Db, refundId: string, attempt = 0): Promise<RefundQueryOutcome> {
  const row = await loadRefund(db, refundId);
  if (!row || row.refund.method || !(OPEN_REFUND_STATUSES as readonly string[]).includes(row.refund.status)) return "settled";
  const { refund, payment } = row;
  const q = await providerFor(payment).queryRefund({
    outTradeNo: payment.outTradeNo,
    outRefundNo: refund.outRefundNo,
    order: gatewayOrderOf(payment),
  });
  if (q.status === "pending") {
    await followUp(db, refund, q.gatewayStatus, attempt + 1, q.gatewayRefundId);
    return "pending";
  }
  if (q.status === "not_found") {
    if (refund.status !== "pending") {
      await db.update(refunds).set({ checkedAt: new Date(), gatewayStatus: q.gatewayStatus }).where(eq(refunds.id, refund.id));
      return "settled";
    }
    await executeRefund(db, refund.id, attempt + 1);
    return "requested_again";
  }
  if (q.amountFen !== undefined && q.amountFen !== refund.amountFen) {
    throw new GatewayError(
      "GATEWAY_ERROR",
      `refund ${refund.outRefundNo}: the gateway reports ${q.amountFen} fen, expected ${refund.amountFen}`,
    );
  }
  const s: Settlement =
    q.status === "succeeded"
      ? { status: "succeeded", gatewayStatus: q.gatewayStatus, gatewayRefundId: q.gatewayRefundId }
      : q.status === "abnormal"
        ? {
            status: "abnormal",
            gatewayStatus: q.gatewayStatus,
            gatewayRefundId: q.gatewayRefundId,
            error: "WeChat ABNORMAL: the customer's account refused the money",
          }
        : {
            status: "failed",
            gatewayStatus: q.gatewayStatus,
            gatewayRefundId: q.gatewayRefundId,
            error: "refundClosed",
          };
  await db.transaction(async (tx) => {
    if (!(await settleRefund(tx, refund.id, s, `gateway:${payment.gateway}:query`))) {
      await tx.update(refunds).set({ checkedAt: new Date(), gatewayStatus: q.gatewayStatus }).where(eq(refunds.id, refund.id));
    }
  });
  return s.status;
}

export type RefundQueryOutcome = "settled" | "pending" | "requested_again" | Settlement["status"];

/**
 * Staff retry of a failed or abnormal refund. It is requested again under the same out_refund_no
 * where the gateway allows it (Alipay always; WeChat unless it closed that refund, whose number is
 * then spent, so a new one is issued). An abnormal WeChat refund is asked again under its own
 * number: WeChat answers where it stands, and a new number would pay twice once the held money is
 * released. The request itself runs as the refund job, after commit.
 */
export async function retryRefund(db: Db, input: { refundId: string; actorId: string }): Promise<Refund> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ refund: refunds, payment: payments })
      .from(refunds)
      .innerJoin(payments, eq(payments.id, refunds.paymentId))
      .where(eq(refunds.id, input.refundId))
      .for("update");
    if (!row) throw new AppError("NOT_FOUND", "refundNotFound");
    const { refund, payment } = row;
    if (refund.status === "abnormal") {
      await audit(tx, {
        actorId: input.actorId,
        action: "refund.retried",
        entityType: "refund",
        entityId: refund.id,
        data: { outRefundNo: refund.outRefundNo, from: "abnormal" },
      });
      await enqueue(tx, refundJob, { refundId: refund.id });
      return refund;
    }
    if (refund.status !== "failed") throw new AppError("INVALID_STATE", "refundNotRetryable");
    const left = await refundableFen(tx, payment);
    if (left < refund.amountFen) throw new AppError("VALIDATION_FAILED", "refundAtMost", undefined, { fen: Math.max(0, left) });
    const renumber = payment.gateway === "wechat" && refund.gatewayStatus === "CLOSED";
    const [again] = await tx
      .update(refunds)
      .set({ status: "pending", completedAt: null, lastError: null, ...(renumber ? { outRefundNo: newTradeNo("R") } : {}) })
      .where(and(eq(refunds.id, refund.id), eq(refunds.status, "failed")))
      .returning();
    if (!again) throw new AppError("INVALID_STATE", "refundChanged");
    await audit(tx, {
      actorId: input.actorId,
      action: "refund.retried",
      entityType: "refund",
      entityId: again.id,
      data: { from: "failed", previousOutRefundNo: refund.outRefundNo, outRefundNo: again.outRefundNo },
    });
    await enqueue(tx, refundJob, { refundId: again.id });
    return again;
  });
}
