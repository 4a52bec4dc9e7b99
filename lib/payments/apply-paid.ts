import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { paymentEvents, payments, type Payment } from "@/db/schema";
import { audit } from "@/lib/audit";
import { storedText } from "@/lib/i18n/error-text";
import { requestRefund } from "./refunds";

export type PaidFact = { eventKey: string; gatewayTradeNo: string; amountFen: number; kind: string; payload: Record<string, unknown> };
export type PaidOutcome = "duplicate" | "already_paid" | "confirmed" | "retaken" | "refunding";

/**
 * The port through which payments hands a verified "paid" fact to what was bought. Booking supplies
 * it (lib/booking/apply-payment.ts: recordPaid, the booking's transition, refundUnplaced, in one
 * transaction; a pass sale's payment goes to lib/passes/buy-pass.ts, dispatched in
 * lib/booking/payments.ts) and passes it to handleNotify and the reconcilers; payments never imports
 * booking nor passes.
 */
export type ApplyPaid = (db: Db, payment: Payment, fact: PaidFact, actorLabel: string) => Promise<PaidOutcome>;

/**
 * The ledger half of a "paid" fact, in the caller's transaction: the gateway event under its unique
 * key (a redelivery stops here: "duplicate"), then the guarded move of the payment to paid
 * ("already_paid" when another event got there first) and its audit row.
 */
export async function recordPaid(
  tx: Tx,
  payment: Payment,
  fact: PaidFact,
  actorLabel: string,
): Promise<Payment | "duplicate" | "already_paid"> {
  const [event] = await tx
    .insert(paymentEvents)
    .values({
      provider: payment.provider,
      eventKey: fact.eventKey,
      paymentId: payment.id,
      kind: fact.kind,
      payload: fact.payload,
      outcome: "paid",
    })
    .onConflictDoNothing({ target: [paymentEvents.provider, paymentEvents.eventKey] })
    .returning({ id: paymentEvents.id });
  if (!event) return "duplicate";
  const [paid] = await tx
    .update(payments)
    .set({ status: "paid", paidAt: new Date(), gatewayTradeNo: fact.gatewayTradeNo })
    .where(and(eq(payments.id, payment.id), inArray(payments.status, ["pending", "closed", "failed"])))
    .returning();
  if (!paid) return "already_paid";
  await audit(tx, {
    actorLabel,
    action: "payment.paid",
    entityType: "payment",
    entityId: paid.id,
    data: { amountFen: fact.amountFen, gatewayTradeNo: fact.gatewayTradeNo, eventKey: fact.eventKey },
  });
  return paid;
}

/** Money that bought nothing (the booking could not take it) goes back, in the same transaction as recordPaid. */
export async function refundUnplaced(tx: Tx, payment: Payment, amountFen: number, reason: string, actorLabel: string): Promise<void> {
  await requestRefund(tx, { paymentId: payment.id, amountFen, reason: storedText("reasonAutoRefund", reason) });
  await audit(tx, { actorLabel, action: "payment.auto_refund", entityType: "payment", entityId: payment.id, reason });
}
