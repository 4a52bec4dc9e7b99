import "server-only";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { payments, refunds, type Refund } from "@/db/schema";
import { audit } from "@/lib/audit";
import { appUrl } from "@/lib/env";
import { enqueue } from "@/lib/jobs/enqueue";
import { defineJob } from "@/lib/jobs/registry";
import { refundIssued } from "@/lib/notifications/booking-events";
import { newTradeNo, providerFor } from "./gateways";
import { GatewayError } from "./types";

/** Executes one refund row against its gateway; retried with backoff, so a gateway outage loses nothing. */
export const refundJob = defineJob<{ refundId: string }>({
  name: "payments.refund",
  options: { retryLimit: 8, retryDelay: 30, retryBackoff: true, retryDelayMax: 3600 },
  async handler(data, ctx) {
    await executeRefund(ctx.db, data.refundId);
  },
});

/**
 * Writes refund rows for `amountFen` across the booking's paid payments (oldest first, never more
 * than each has left) and enqueues their execution, all in the caller's transaction: a cancellation
 * and its refund commit together. Payment rows are locked so two refunds cannot overdraw one.
 */
export async function requestRefund(
  tx: DbOrTx,
  input: { bookingId: string; amountFen: number; reason: string; actorId?: string | null },
): Promise<Refund[]> {
  if (input.amountFen <= 0) return [];
  const paid = await tx
    .select()
    .from(payments)
    .where(and(eq(payments.bookingId, input.bookingId), inArray(payments.status, ["paid", "partially_refunded"])))
    .orderBy(asc(payments.paidAt))
    .for("update");
  const created: Refund[] = [];
  let left = input.amountFen;
  for (const p of paid) {
    if (left <= 0) break;
    const [pending] = await tx
      .select({ n: sql<number>`coalesce(sum(${refunds.amountFen}), 0)::int` })
      .from(refunds)
      .where(and(eq(refunds.paymentId, p.id), eq(refunds.status, "pending")));
    const available = p.amountFen - p.refundedFen - Number(pending?.n ?? 0);
    const amount = Math.min(left, available);
    if (amount <= 0) continue;
    const [row] = await tx
      .insert(refunds)
      .values({ paymentId: p.id, bookingId: input.bookingId, outRefundNo: newTradeNo("R"), amountFen: amount, reason: input.reason, actorId: input.actorId ?? null })
      .returning();
    if (!row) continue;
    await audit(tx, { actorId: input.actorId ?? null, action: "refund.requested", entityType: "refund", entityId: row.id, reason: input.reason, data: { paymentId: p.id, amountFen: amount } });
    await enqueue(tx, refundJob, { refundId: row.id });
    created.push(row);
    left -= amount;
  }
  return created;
}

/** Marks a refund done once (guarded on pending) and moves the payment's refunded total with it. */
export async function completeRefund(db: Db, refundId: string, outcome: "succeeded" | "failed", gatewayRefundId?: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [r] = await tx
      .update(refunds)
      .set({ status: outcome, completedAt: new Date(), ...(gatewayRefundId ? { gatewayRefundId } : {}) })
      .where(and(eq(refunds.id, refundId), eq(refunds.status, "pending")))
      .returning();
    if (!r) return false;
    if (outcome === "succeeded") {
      await tx
        .update(payments)
        .set({
          refundedFen: sql`${payments.refundedFen} + ${r.amountFen}`,
          status: sql`case when ${payments.refundedFen} + ${r.amountFen} >= ${payments.amountFen} then 'refunded'::payment_status else 'partially_refunded'::payment_status end`,
          updatedAt: new Date(),
        })
        .where(eq(payments.id, r.paymentId));
      await refundIssued(tx, r.bookingId, r.amountFen, r.id);
    }
    await audit(tx, { actorLabel: "system", action: `refund.${outcome}`, entityType: "refund", entityId: r.id, data: { amountFen: r.amountFen, gatewayRefundId } });
    return true;
  });
}

/** Calls the gateway for a pending refund; the out_refund_no makes a retried call idempotent there. */
export async function executeRefund(db: Db, refundId: string): Promise<void> {
  const [row] = await db.select({ refund: refunds, payment: payments }).from(refunds).innerJoin(payments, eq(payments.id, refunds.paymentId)).where(eq(refunds.id, refundId));
  if (!row || row.refund.status !== "pending") return;
  const { refund, payment } = row;
  try {
    const result = await providerFor(payment).refund({
      outTradeNo: payment.outTradeNo,
      outRefundNo: refund.outRefundNo,
      amountFen: refund.amountFen,
      totalFen: payment.amountFen,
      reason: refund.reason.slice(0, 80),
      notifyUrl: `${appUrl()}/api/payments/${payment.gateway}/notify`,
    });
    if (result.status === "succeeded") await completeRefund(db, refund.id, "succeeded", result.gatewayRefundId);
    else await db.update(refunds).set({ gatewayRefundId: result.gatewayRefundId }).where(eq(refunds.id, refund.id));
  } catch (e) {
    // A refusal (not a transient failure) is final: staff see it as failed in the ledger.
    if (e instanceof GatewayError && e.code === "REFUND_FAILED") {
      await completeRefund(db, refund.id, "failed");
      return;
    }
    throw e;
  }
}
