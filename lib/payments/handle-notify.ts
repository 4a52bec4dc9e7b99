import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb, type Db, type Tx } from "@/db/client";
import { paymentEvents, payments, refunds } from "@/db/schema";
import { audit } from "@/lib/audit";
import { isAppError, isDbUnavailable } from "@/lib/errors";
import { assertUnderLimits, clientIp, countFailure, notifyFailureLimits } from "@/lib/rate-limit";
import type { ApplyPaid } from "./apply-paid";
import { amountMatches, providerFor, providersSpeaking } from "./gateways";
import { reconcilePayment } from "./reconcile";
import { settleRefund, type Settlement } from "./refunds";
import { NotifyRejected, type NotifyEvent, type ProviderName, type RefundStatus } from "./types";
import { log } from "@/lib/log";

/** The out_trade_no a message claims, read before verification only to pick the keys to verify with. */
function claimedTradeNo(gateway: ProviderName, rawBody: string): string | null {
  if (gateway === "alipay") return new URLSearchParams(rawBody).get("out_trade_no");
  // WeChat encrypts the resource; PayPal has one account: the keys to try are known without it.
  return null;
}

async function findPayment(db: Db, outTradeNo: string) {
  const [p] = await db.select().from(payments).where(eq(payments.outTradeNo, outTradeNo)).limit(1);
  return p;
}

async function reject(
  gateway: ProviderName,
  reason: string,
  detail: string,
  ack: (ok: boolean, m?: string) => Response,
  headers: Headers,
): Promise<Response> {
  log.warn(`[payments] ${gateway} notify rejected (${reason}): ${detail}`);
  await countFailure(notifyFailureLimits(gateway, clientIp(headers)));
  return ack(false, reason);
}

/** The refusal of a notice no configured account could have signed, in the gateway's own answer shape. */
function unsignedAck(gateway: ProviderName, message?: string): Response {
  return gateway === "alipay"
    ? new Response("failure", { status: 200, headers: { "content-type": "text/plain; charset=utf-8" } })
    : Response.json({ code: "FAIL", message: message ?? "rejected" }, { status: 400 });
}

/** An address that keeps sending notices that fail verification is refused for a while (429, Retry-After). */
async function refusedAddress(gateway: ProviderName, headers: Headers): Promise<Response | undefined> {
  try {
    await assertUnderLimits(notifyFailureLimits(gateway, clientIp(headers)));
    return undefined;
  } catch (e) {
    if (!isAppError(e) || e.code !== "RATE_LIMITED") throw e;
    const wait = String((e.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 60);
    return gateway === "alipay"
      ? new Response("failure", { status: 429, headers: { "content-type": "text/plain", "Retry-After": wait } })
      : Response.json({ code: "RATE_LIMITED", message: e.message }, { status: 429, headers: { "Retry-After": wait } });
  }
}

/**
 * Verify → check against our record → apply once → answer what the gateway expects. A forged,
 * tampered, stale or mismatched message changes nothing and is logged; a redelivery is a no-op
 * (the event's unique key), answered with success so the gateway stops retrying. A payment is
 * applied through `applyPaid`, the port the booking domain supplies.
 */
export async function handleNotify(
  gateway: ProviderName,
  headers: Headers,
  rawBody: string,
  applyPaid: ApplyPaid,
  db: Db = getDb(),
): Promise<Response> {
  const refused = await refusedAddress(gateway, headers);
  if (refused) return refused;
  const claimed = claimedTradeNo(gateway, rawBody);
  const known = claimed ? await findPayment(db, claimed) : undefined;
  // The keys that may have signed it: those of the payment it names, else every configured account speaking this protocol.
  const candidates = known ? [providerFor(known)] : providersSpeaking(gateway);
  const ack = (ok: boolean, m?: string) => candidates[0]?.notifyAck(ok, m) ?? unsignedAck(gateway, m);
  let event: NotifyEvent | undefined;
  let rejection: NotifyRejected | undefined;
  for (const provider of new Set(candidates)) {
    try {
      event = await provider.parseNotify({ headers, rawBody });
      break;
    } catch (e) {
      if (isDbUnavailable(e)) throw e;
      // Whatever a forged or garbled message makes an SDK throw, it is a message we refuse, not our failure.
      rejection ??= e instanceof NotifyRejected ? e : new NotifyRejected("malformed", e instanceof Error ? e.message : String(e));
    }
  }
  if (candidates.length === 0) rejection = new NotifyRejected("not_configured", `no ${gateway} account has keys here`);
  if (!event) return reject(gateway, rejection?.reason ?? "malformed", rejection?.message ?? "", ack, headers);
  const payment = known ?? (await findPayment(db, event.outTradeNo));
  if (!payment || payment.gateway !== gateway) return reject(gateway, "unknown_trade", event.outTradeNo, ack, headers);
  if (!amountMatches(payment, event))
    return reject(
      gateway,
      "amount_mismatch",
      `${event.amountFen ?? `${event.amountMinor} ${event.currency}`} != ${payment.amountFen}`,
      ack,
      headers,
    );
  // The payer approved (PayPal): the money moves when we capture, which the query of a pending
  // payment does; one already paid or closed is left alone (a redelivery, a lapsed hold).
  if (event.kind === "approved") {
    if (payment.status === "pending") await reconcilePayment(db, payment, applyPaid);
    return ack(true);
  }

  const payload = {
    outTradeNo: event.outTradeNo,
    gatewayTradeNo: event.gatewayTradeNo,
    amountFen: event.amountFen ?? payment.amountFen,
    ...(event.currency ? { currency: event.currency, amountMinor: event.amountMinor } : {}),
    refundStatus: event.refundStatus,
  };
  if (event.kind === "paid") {
    await applyPaid(
      db,
      payment,
      { eventKey: event.eventKey, gatewayTradeNo: event.gatewayTradeNo, amountFen: payment.amountFen, kind: "paid", payload },
      `gateway:${gateway}`,
    );
    return ack(true);
  }
  // Recorded and applied in ONE transaction, like the paid path: if applying fails, the event is
  // not recorded either, so the gateway's redelivery applies it instead of reading as a duplicate.
  await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(paymentEvents)
      .values({
        provider: payment.provider,
        eventKey: event.eventKey,
        paymentId: payment.id,
        kind: event.kind,
        payload,
        outcome: event.kind,
      })
      .onConflictDoNothing({ target: [paymentEvents.provider, paymentEvents.eventKey] })
      .returning({ id: paymentEvents.id });
    if (!row) return;
    if (event.kind === "closed") {
      const [closed] = await tx
        .update(payments)
        .set({ status: "closed" })
        .where(and(eq(payments.id, payment.id), eq(payments.status, "pending")))
        .returning();
      if (closed)
        await audit(tx, { actorLabel: `gateway:${gateway}`, action: "payment.closed", entityType: "payment", entityId: closed.id });
      return;
    }
    if (event.kind === "refund" && event.outRefundNo) await applyRefundNotice(tx, payment.id, event, gateway);
  });
  return ack(true);
}

const NOTICE_SETTLEMENT: Record<RefundStatus, Settlement["status"]> = { succeeded: "succeeded", abnormal: "abnormal", closed: "failed" };

/** A refund notice settles our refund of that number on that payment (a stranger's number changes nothing). */
async function applyRefundNotice(tx: Tx, paymentId: string, event: NotifyEvent, gateway: ProviderName): Promise<void> {
  const [refund] = await tx
    .select()
    .from(refunds)
    .where(and(eq(refunds.outRefundNo, event.outRefundNo ?? ""), eq(refunds.paymentId, paymentId)));
  if (!refund) {
    log.warn(`[payments] ${gateway} refund notice for unknown refund ${event.outRefundNo ?? ""}`);
    return;
  }
  const status = NOTICE_SETTLEMENT[event.refundStatus ?? "succeeded"];
  const word = { succeeded: "SUCCESS", abnormal: "ABNORMAL", failed: "CLOSED" }[status];
  const error =
    status === "abnormal" ? "WeChat ABNORMAL: the customer's account refused the money" : status === "failed" ? "refundClosed" : undefined;
  await settleRefund(tx, refund.id, { status, gatewayStatus: word, error }, `gateway:${gateway}`);
}
