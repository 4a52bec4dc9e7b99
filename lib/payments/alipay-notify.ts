import type { AlipaySdk } from "alipay-sdk";
import type { AlipayConfig } from "./alipay";
import { parseForm } from "./alipay-wire";
import { alipayAmountToFen, MoneyFormatError } from "./money";
import { NotifyRejected, type NotifyEvent, type NotifyInput } from "./types";

function amount(text: string | undefined, field: string): number {
  if (text === undefined) throw new NotifyRejected("malformed", `missing ${field}`);
  try {
    return alipayAmountToFen(text);
  } catch (e) {
    if (e instanceof MoneyFormatError) throw new NotifyRejected("malformed", `${field}: ${e.message}`);
    throw e;
  }
}

/**
 * Verifies an Alipay asynchronous notify (form-encoded POST) and maps it to a NotifyEvent.
 * Order matters: nothing in the body is believed before the signature checks out.
 */
export function parseAlipayNotify(sdk: AlipaySdk, config: AlipayConfig, input: NotifyInput): NotifyEvent {
  const form = parseForm(input.rawBody);
  if (!form) throw new NotifyRejected("malformed", "body is not a form or repeats a field");
  // Alipay signs only non-empty fields; an empty one left in would break a genuine message.
  const fields = Object.fromEntries(Object.entries(form).filter(([, v]) => v !== ""));
  if (!fields.sign) throw new NotifyRejected("malformed", "no sign field");
  // The SDK picks the hash from the message's own sign_type: refuse the SHA-1 "RSA" downgrade.
  if (fields.sign_type !== undefined && fields.sign_type !== "RSA2") {
    throw new NotifyRejected("bad_signature", `sign_type ${fields.sign_type} not accepted`);
  }
  let verified = false;
  try {
    // V2 checks the decoded values as they are; checkNotifySign would decode again and throw
    // URIError on any "%" in a subject.
    verified = sdk.checkNotifySignV2(fields);
  } catch {
    verified = false;
  }
  if (!verified) throw new NotifyRejected("bad_signature", "RSA2 signature does not verify");

  if (fields.app_id !== config.appId) throw new NotifyRejected("wrong_app", `app_id ${fields.app_id ?? "(none)"}`);
  if (config.sellerId && fields.seller_id !== config.sellerId) {
    throw new NotifyRejected("wrong_merchant", `seller_id ${fields.seller_id ?? "(none)"}`);
  }
  const outTradeNo = fields.out_trade_no;
  const tradeNo = fields.trade_no;
  const status = fields.trade_status;
  if (!outTradeNo || !tradeNo || !status) {
    throw new NotifyRejected("malformed", "out_trade_no, trade_no and trade_status are required");
  }
  const totalFen = amount(fields.total_amount, "total_amount");
  const base = { gateway: "alipay" as const, outTradeNo, gatewayTradeNo: tradeNo, amountFen: totalFen };

  // A refund is announced with the trade's status (TRADE_SUCCESS when partial, TRADE_CLOSED when
  // full) plus refund fields: check those first, or a full refund would read as "closed".
  const outBizNo = fields.out_biz_no;
  if (outBizNo || fields.refund_fee !== undefined || fields.gmt_refund !== undefined) {
    if (!outBizNo) throw new NotifyRejected("malformed", "refund notify without out_biz_no");
    return {
      ...base,
      kind: "refund",
      // Keyed on our refund number, not notify_id: stable however Alipay numbers its retries.
      eventKey: `alipay:${tradeNo}:refund:${outBizNo}`,
      outRefundNo: outBizNo,
      refundStatus: "succeeded",
      // Alipay reports the trade's cumulative refunded total here, not this refund alone.
      refundFen: amount(fields.refund_fee, "refund_fee"),
    };
  }
  if (status === "TRADE_SUCCESS" || status === "TRADE_FINISHED") {
    return { ...base, kind: "paid", eventKey: `alipay:${tradeNo}:${status}` };
  }
  if (status === "TRADE_CLOSED") return { ...base, kind: "closed", eventKey: `alipay:${tradeNo}:${status}` };
  throw new NotifyRejected("unsupported_event", `trade_status ${status}`);
}
