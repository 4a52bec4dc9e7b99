import { z } from "zod";
import { MoneyFormatError, wechatTotalToFen } from "./money";
import { NotifyRejected, type NotifyEvent, type NotifyInput, type RefundStatus } from "./types";
import type { WechatVerifier } from "./wechat-verify";
import { decryptResource } from "./wechat-wire";

const envelopeSchema = z.object({
  id: z.string().min(1),
  event_type: z.string().min(1),
  resource_type: z.string().optional(),
  resource: z.object({
    algorithm: z.literal("AEAD_AES_256_GCM"),
    ciphertext: z.string().min(1),
    associated_data: z.string().optional(),
    nonce: z.string().min(1),
  }),
});

const amountSchema = z.object({ total: z.unknown(), currency: z.string().optional(), refund: z.unknown().optional() });

const transactionSchema = z.object({
  appid: z.string(),
  mchid: z.string(),
  out_trade_no: z.string().min(1),
  transaction_id: z.string().min(1),
  trade_state: z.string(),
  amount: amountSchema,
});

const refundSchema = z.object({
  mchid: z.string(),
  out_trade_no: z.string().min(1),
  transaction_id: z.string().min(1),
  out_refund_no: z.string().min(1),
  refund_status: z.string(),
  amount: amountSchema,
});

const REFUND_EVENTS: Record<string, RefundStatus> = {
  "REFUND.SUCCESS": "succeeded",
  "REFUND.ABNORMAL": "abnormal",
  "REFUND.CLOSED": "closed",
};

function fen(value: unknown, field: string): number {
  try {
    return wechatTotalToFen(value);
  } catch (e) {
    if (e instanceof MoneyFormatError) throw new NotifyRejected("malformed", `${field}: ${e.message}`);
    throw e;
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new NotifyRejected("malformed", `${what}: ${r.error.issues[0]?.message ?? "invalid"}`);
  return r.data;
}

interface Expect {
  appId: string;
  mchId: string;
  apiV3Key: string;
  verify: WechatVerifier;
  clock: () => Date;
}

/**
 * Verify → check the clock → decrypt (tag checked) → check who it is for. The body is not
 * parsed before its signature verifies, and nothing decrypted is used before GCM authenticates.
 */
export async function parseWechatNotify(expect: Expect, input: NotifyInput): Promise<NotifyEvent> {
  const verdict = await expect.verify(input.headers, input.rawBody, input.now ?? expect.clock());
  if (verdict === "malformed") throw new NotifyRejected("malformed", "missing Wechatpay-* headers");
  if (verdict !== "ok") throw new NotifyRejected(verdict, "Wechatpay-Signature check failed");

  let body: unknown;
  try {
    body = JSON.parse(input.rawBody);
  } catch {
    throw new NotifyRejected("malformed", "body is not JSON");
  }
  const envelope = parse(envelopeSchema, body, "envelope");
  let plain: unknown;
  try {
    plain = JSON.parse(decryptResource(envelope.resource, expect.apiV3Key));
  } catch {
    throw new NotifyRejected("bad_ciphertext", "resource does not decrypt and authenticate");
  }

  const base = { gateway: "wechat" as const, eventKey: `wechat:${envelope.id}` };
  if (envelope.event_type === "TRANSACTION.SUCCESS") {
    const t = parse(transactionSchema, plain, "transaction");
    if (t.appid !== expect.appId) throw new NotifyRejected("wrong_app", `appid ${t.appid}`);
    if (t.mchid !== expect.mchId) throw new NotifyRejected("wrong_merchant", `mchid ${t.mchid}`);
    if (t.trade_state !== "SUCCESS") throw new NotifyRejected("malformed", `trade_state ${t.trade_state}`);
    if ((t.amount.currency ?? "CNY") !== "CNY") throw new NotifyRejected("malformed", "currency is not CNY");
    const amountFen = fen(t.amount.total, "amount.total");
    return { ...base, kind: "paid", outTradeNo: t.out_trade_no, gatewayTradeNo: t.transaction_id, amountFen };
  }
  const refundStatus = REFUND_EVENTS[envelope.event_type];
  if (refundStatus) {
    // Refund resources carry mchid but no appid.
    const r = parse(refundSchema, plain, "refund");
    if (r.mchid !== expect.mchId) throw new NotifyRejected("wrong_merchant", `mchid ${r.mchid}`);
    return {
      ...base,
      kind: "refund",
      outTradeNo: r.out_trade_no,
      gatewayTradeNo: r.transaction_id,
      amountFen: fen(r.amount.total, "amount.total"),
      outRefundNo: r.out_refund_no,
      refundStatus,
      refundFen: fen(r.amount.refund, "amount.refund"),
    };
  }
  throw new NotifyRejected("unsupported_event", `event_type ${envelope.event_type}`);
}
