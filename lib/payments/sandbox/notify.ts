import { randomBytes, randomUUID } from "node:crypto";
import { signAlipayNotify, type AlipayParams } from "../alipay-wire";
import { formatAlipayTime, formatWechatTime } from "../china-time";
import { fenToAlipayAmount } from "../money";
import { encryptResource, nonceStr, signSha256Rsa, wechatMessage } from "../wechat-wire";
import type { SandboxKeys } from "./keys";
import type { PreparedNotify, SandboxOrder, SandboxRefund } from "./store";

/** Builds and sends the sandbox's notifies exactly as the real gateways put them on the wire. */

export interface NotifyDelivery {
  /** HTTP status of the merchant's answer; 0 when it could not be reached. */
  status: number;
  body: string;
}

function alipayBase(keys: SandboxKeys, order: SandboxOrder, now: Date): AlipayParams {
  const amount = fenToAlipayAmount(order.amountFen);
  return {
    notify_time: formatAlipayTime(now),
    notify_type: "trade_status_sync",
    notify_id: randomBytes(17).toString("hex"),
    app_id: keys.alipay.appId,
    charset: "utf-8",
    version: "1.0",
    trade_no: order.tradeNo,
    out_trade_no: order.outTradeNo,
    total_amount: amount,
    subject: order.subject,
    seller_id: keys.alipay.sellerId,
    gmt_create: formatAlipayTime(order.createdAt),
  };
}

/** A trade status notify: TRADE_SUCCESS once paid, TRADE_CLOSED once closed unpaid. */
export function alipayTradeNotify(keys: SandboxKeys, order: SandboxOrder, url: string, now: Date): PreparedNotify {
  const fields = alipayBase(keys, order, now);
  if (order.status === "paid" && order.paidAt) {
    Object.assign(fields, {
      trade_status: "TRADE_SUCCESS",
      receipt_amount: fields.total_amount,
      buyer_pay_amount: fields.total_amount,
      gmt_payment: formatAlipayTime(order.paidAt),
      buyer_id: "2088000000000001",
    });
  } else {
    Object.assign(fields, { trade_status: "TRADE_CLOSED", gmt_close: formatAlipayTime(order.closedAt ?? now) });
  }
  const body = new URLSearchParams(signAlipayNotify(fields, keys.alipay.alipayPrivateKey)).toString();
  return { gateway: "alipay", url, body };
}

/** Alipay announces a refund with the trade's new status plus out_biz_no and the refunded total. */
export function alipayRefundNotify(
  keys: SandboxKeys,
  order: SandboxOrder,
  refund: SandboxRefund,
  refundedFen: number,
  url: string,
  now: Date,
): PreparedNotify {
  const fields = {
    ...alipayBase(keys, order, now),
    trade_status: refundedFen >= order.amountFen ? "TRADE_CLOSED" : "TRADE_SUCCESS",
    out_biz_no: refund.outRefundNo,
    refund_fee: fenToAlipayAmount(refundedFen),
    gmt_refund: formatAlipayTime(now),
  };
  const body = new URLSearchParams(signAlipayNotify(fields, keys.alipay.alipayPrivateKey)).toString();
  return { gateway: "alipay", url, body };
}

function wechatEnvelope(keys: SandboxKeys, eventType: string, summary: string, type: string, resource: object, now: Date) {
  return JSON.stringify({
    id: randomUUID(),
    create_time: formatWechatTime(now),
    resource_type: "encrypt-resource",
    event_type: eventType,
    summary,
    resource: { original_type: type, ...encryptResource(JSON.stringify(resource), keys.wechat.apiV3Key, type) },
  });
}

export function wechatPaidNotify(keys: SandboxKeys, order: SandboxOrder, url: string, now: Date): PreparedNotify {
  const total = order.amountFen;
  const transaction = {
    appid: keys.wechat.appId,
    mchid: keys.wechat.mchId,
    out_trade_no: order.outTradeNo,
    transaction_id: order.tradeNo,
    trade_type: order.product,
    trade_state: "SUCCESS",
    trade_state_desc: "支付成功",
    bank_type: "OTHERS",
    attach: "",
    success_time: formatWechatTime(order.paidAt ?? now),
    payer: { openid: order.openid ?? "o_sandbox_payer" },
    amount: { total, payer_total: total, currency: "CNY", payer_currency: "CNY" },
  };
  return { gateway: "wechat", url, body: wechatEnvelope(keys, "TRANSACTION.SUCCESS", "支付成功", "transaction", transaction, now) };
}

const REFUND_SUMMARY = { SUCCESS: "退款成功", ABNORMAL: "退款异常", CLOSED: "退款关闭" } as const;

/** REFUND.SUCCESS / REFUND.ABNORMAL / REFUND.CLOSED, per the refund's (final) status. */
export function wechatRefundNotify(keys: SandboxKeys, order: SandboxOrder, refund: SandboxRefund, url: string, now: Date): PreparedNotify {
  const status = refund.status === "PROCESSING" ? "SUCCESS" : refund.status;
  const resource = {
    mchid: keys.wechat.mchId,
    out_trade_no: order.outTradeNo,
    transaction_id: order.tradeNo,
    out_refund_no: refund.outRefundNo,
    refund_id: refund.refundId,
    refund_status: status,
    ...(status === "SUCCESS" ? { success_time: formatWechatTime(now) } : {}),
    user_received_account: "支付用户零钱",
    amount: { total: order.amountFen, refund: refund.amountFen, payer_total: order.amountFen, payer_refund: refund.amountFen },
  };
  return { gateway: "wechat", url, body: wechatEnvelope(keys, `REFUND.${status}`, REFUND_SUMMARY[status], "refund", resource, now) };
}

/** Wechatpay-* headers over `body`, signed now: each WeChat delivery carries a fresh stamp. */
export function wechatSignedHeaders(body: string, privateKeyPem: string, serial: string, now: Date): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const nonce = nonceStr();
  return {
    "Wechatpay-Timestamp": timestamp,
    "Wechatpay-Nonce": nonce,
    "Wechatpay-Signature": signSha256Rsa(wechatMessage(timestamp, nonce, body), privateKeyPem),
    "Wechatpay-Serial": serial,
    "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
  };
}

export async function deliver(keys: SandboxKeys, notify: PreparedNotify, now: Date): Promise<NotifyDelivery> {
  const headers =
    notify.gateway === "alipay"
      ? { "content-type": "application/x-www-form-urlencoded; charset=utf-8" }
      : {
          "content-type": "application/json",
          ...wechatSignedHeaders(notify.body, keys.wechat.platformPrivateKey, keys.wechat.platformSerial, now),
        };
  try {
    const res = await fetch(notify.url, {
      method: "POST",
      headers,
      body: notify.body,
      redirect: "manual",
      signal: AbortSignal.timeout(10_000),
    });
    return { status: res.status, body: (await res.text()).slice(0, 2000) };
  } catch (e) {
    return { status: 0, body: (e as Error).message };
  }
}
