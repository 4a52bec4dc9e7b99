import { randomUUID } from "node:crypto";
import { z } from "zod";
import { formatWechatTime } from "../china-time";
import { verifySha256Rsa, wechatRequestMessage, withinWindow } from "../wechat-wire";
import { wechatBill } from "./bills";
import type { SandboxContext } from "./context";
import { wechatSignedHeaders } from "./notify";
import { OrderConflict, type SandboxOrder, type SandboxRefund } from "./store";

/**
 * The sandbox's WeChat Pay APIv3 (`…/wechat/v3/…`): checks the merchant's
 * `Authorization: WECHATPAY2-SHA256-RSA2048 …` against the merchant certificate, and signs every
 * answer, errors included, with the platform key (serial PUB_KEY_ID_…) as WeChat Pay does.
 */
const orderSchema = z.object({
  appid: z.string(),
  mchid: z.string(),
  description: z.string().min(1),
  out_trade_no: z.string().regex(/^[0-9A-Za-z_\-|*]{6,32}$/),
  notify_url: z.url(),
  time_expire: z.string().optional(),
  amount: z.object({ total: z.number().int().positive(), currency: z.literal("CNY").optional() }),
  payer: z.object({ openid: z.string().min(1) }).optional(),
  scene_info: z.object({ payer_client_ip: z.string().min(1), h5_info: z.object({ type: z.string() }).optional() }).optional(),
});

const refundSchema = z.object({
  out_trade_no: z.string().optional(),
  transaction_id: z.string().optional(),
  out_refund_no: z.string().min(1).max(64),
  reason: z.string().optional(),
  notify_url: z.url().optional(),
  amount: z.object({ refund: z.number().int().positive(), total: z.number().int().positive(), currency: z.literal("CNY") }),
});

const PRODUCT = { native: "NATIVE", jsapi: "JSAPI", h5: "MWEB" } as const;

type Reply = (status: number, body?: object) => Response;

function authorized(req: Request, pathAndQuery: string, body: string, ctx: SandboxContext): boolean {
  const m = /^WECHATPAY2-SHA256-RSA2048\s+(.+)$/.exec(req.headers.get("authorization") ?? "");
  if (!m?.[1]) return false;
  const f = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
  const { mchid, nonce_str: nonce, timestamp, serial_no: serial, signature } = f;
  if (!nonce || !timestamp || !signature || mchid !== ctx.keys.wechat.mchId) return false;
  if (serial !== ctx.keys.wechat.merchantSerial || !withinWindow(timestamp, ctx.now())) return false;
  const message = wechatRequestMessage(req.method, pathAndQuery, timestamp, nonce, body);
  return verifySha256Rsa(message, signature, ctx.keys.wechat.merchantCertificate);
}

function tradeState(ctx: SandboxContext, o: SandboxOrder): string {
  if (o.status === "pending") return "NOTPAY";
  if (o.status === "closed") return "CLOSED";
  return ctx.store.refundedFen(o) > 0 ? "REFUND" : "SUCCESS";
}

function createOrder(kind: keyof typeof PRODUCT, raw: unknown, ctx: SandboxContext, reply: Reply): Response {
  const p = orderSchema.safeParse(raw);
  if (!p.success) return reply(400, { code: "PARAM_ERROR", message: p.error.issues[0]?.message ?? "参数错误" });
  const b = p.data;
  if (b.appid !== ctx.keys.wechat.appId || b.mchid !== ctx.keys.wechat.mchId) {
    return reply(400, { code: "APPID_MCHID_NOT_MATCH", message: "appid和mch_id不匹配" });
  }
  if (kind === "jsapi" && !b.payer) return reply(400, { code: "PARAM_ERROR", message: "缺少payer.openid" });
  if (kind === "h5" && !b.scene_info?.h5_info) return reply(400, { code: "PARAM_ERROR", message: "缺少scene_info.h5_info" });
  const expires = b.time_expire ? new Date(b.time_expire) : undefined;
  if (expires && Number.isNaN(expires.getTime())) return reply(400, { code: "PARAM_ERROR", message: "time_expire" });
  let o: SandboxOrder;
  try {
    const order = { gateway: "wechat" as const, outTradeNo: b.out_trade_no, amountFen: b.amount.total, subject: b.description };
    o = ctx.store.create(
      { ...order, product: PRODUCT[kind], notifyUrl: b.notify_url, openid: b.payer?.openid, expiresAt: expires },
      ctx.now(),
    );
  } catch (e) {
    if (e instanceof OrderConflict) return reply(400, { code: "INVALID_REQUEST", message: "201 商户订单号重复" });
    throw e;
  }
  if (o.status === "paid") return reply(400, { code: "ORDERPAID", message: "该订单已支付" });
  if (o.status === "closed") return reply(400, { code: "ORDER_CLOSED", message: "订单已关闭" });
  if (kind === "jsapi") {
    o.prepayId ??= `wx${o.tradeNo.slice(-26)}`;
    return reply(200, { prepay_id: o.prepayId });
  }
  if (kind === "h5") return reply(200, { h5_url: ctx.cashierUrl(o.outTradeNo) });
  return reply(200, { code_url: ctx.cashierUrl(o.outTradeNo) });
}

function queryOrder(o: SandboxOrder, ctx: SandboxContext): object {
  const paid = o.paidAt && o.status === "paid";
  return {
    appid: ctx.keys.wechat.appId,
    mchid: ctx.keys.wechat.mchId,
    out_trade_no: o.outTradeNo,
    trade_type: o.product,
    trade_state: tradeState(ctx, o),
    trade_state_desc: o.status,
    amount: { total: o.amountFen, currency: "CNY", ...(paid ? { payer_total: o.amountFen, payer_currency: "CNY" } : {}) },
    ...(paid ? { transaction_id: o.tradeNo, success_time: formatWechatTime(o.paidAt ?? ctx.now()) } : {}),
  };
}

function refund(raw: unknown, ctx: SandboxContext, reply: Reply): Response {
  const p = refundSchema.safeParse(raw);
  if (!p.success) return reply(400, { code: "PARAM_ERROR", message: p.error.issues[0]?.message ?? "参数错误" });
  const b = p.data;
  const o = b.out_trade_no ? ctx.store.get(b.out_trade_no) : undefined;
  if (!o || o.gateway !== "wechat") return reply(404, { code: "RESOURCE_NOT_EXISTS", message: "订单不存在" });
  if (o.status !== "paid") return reply(400, { code: "INVALID_REQUEST", message: "交易未支付" });
  if (b.amount.total !== o.amountFen) return reply(400, { code: "PARAM_ERROR", message: "订单金额与原订单不一致" });
  let r = o.refunds.find((x) => x.outRefundNo === b.out_refund_no);
  if (r && r.amountFen !== b.amount.refund) return reply(400, { code: "INVALID_REQUEST", message: "退款金额与原请求不一致" });
  if (!r) {
    if (b.amount.refund > o.amountFen - ctx.store.refundedFen(o)) return reply(403, { code: "NOT_ENOUGH", message: "退款余额不足" });
    if (ctx.refundsRefused(o)) return reply(403, { code: "NOT_ENOUGH", message: "基本账户余额不足，请充值后重新发起" });
    r = ctx.store.addRefund(
      o,
      { outRefundNo: b.out_refund_no, amountFen: b.amount.refund, status: "PROCESSING", notifyUrl: b.notify_url },
      ctx.now(),
    );
    ctx.refunded(o, r);
  }
  return reply(200, refundBody(o, r));
}

/** The refund resource as the create and query APIs both answer it. */
function refundBody(o: SandboxOrder, r: SandboxRefund): object {
  return {
    refund_id: r.refundId,
    out_refund_no: r.outRefundNo,
    transaction_id: o.tradeNo,
    out_trade_no: o.outTradeNo,
    channel: "ORIGINAL",
    user_received_account: "支付用户零钱",
    create_time: formatWechatTime(r.createdAt),
    ...(r.status === "SUCCESS" ? { success_time: formatWechatTime(r.createdAt) } : {}),
    status: r.status,
    funds_account: "AVAILABLE",
    amount: { total: o.amountFen, refund: r.amountFen, payer_total: o.amountFen, payer_refund: r.amountFen, currency: "CNY" },
  };
}

/** GET /v3/bill/tradebill (bill_type ALL) and /v3/bill/fundflowbill (account_type BASIC), gzip only. */
function billApplication(kind: "trade" | "fundflow", q: URLSearchParams, ctx: SandboxContext, reply: Reply): Response {
  const date = q.get("bill_date") ?? "";
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return reply(400, { code: "PARAM_ERROR", message: "bill_date" });
  if (kind === "trade" && !["ALL", "SUCCESS", "REFUND"].includes(q.get("bill_type") ?? "ALL"))
    return reply(400, { code: "PARAM_ERROR", message: "bill_type" });
  if (kind === "fundflow" && (q.get("account_type") ?? "BASIC") !== "BASIC")
    return reply(400, { code: "PARAM_ERROR", message: "account_type" });
  if (q.get("tar_type") !== "GZIP") return reply(400, { code: "PARAM_ERROR", message: "the sandbox serves GZIP bills only" });
  if (date > formatWechatTime(ctx.now()).slice(0, 10)) return reply(400, { code: "NO_STATEMENT_EXIST", message: "账单文件不存在" });
  const { token, sha1 } = wechatBill(ctx, kind, date);
  return reply(200, {
    hash_type: "SHA1",
    hash_value: sha1,
    download_url: `https://api.mch.weixin.qq.com/v3/billdownload/file?token=${token}`,
  });
}

/** `path` is the part after the gateway's `/wechat` prefix, e.g. `/v3/pay/transactions/native`. */
export async function handleWechatApi(req: Request, path: string, ctx: SandboxContext): Promise<Response> {
  const reply: Reply = (status, obj) => {
    const body = obj === undefined ? "" : JSON.stringify(obj);
    const { keys } = ctx;
    const signed = wechatSignedHeaders(body, keys.wechat.platformPrivateKey, keys.wechat.platformSerial, ctx.now());
    const headers = { ...signed, "content-type": "application/json", "request-id": randomUUID() };
    return new Response(status === 204 ? null : body, { status, headers });
  };
  const text = req.method === "POST" ? await req.text() : "";
  if (!authorized(req, path + new URL(req.url).search, text, ctx)) {
    return reply(401, { code: "SIGN_ERROR", message: "签名错误" });
  }
  let body: unknown = {};
  try {
    body = text === "" ? {} : JSON.parse(text);
  } catch {
    return reply(400, { code: "PARAM_ERROR", message: "请求体不是JSON" });
  }
  if ((path === "/v3/bill/tradebill" || path === "/v3/bill/fundflowbill") && req.method === "GET") {
    return billApplication(path === "/v3/bill/tradebill" ? "trade" : "fundflow", new URL(req.url).searchParams, ctx, reply);
  }
  if (path === "/v3/billdownload/file" && req.method === "GET") {
    // Unsigned, as WeChat serves bill files: the SHA1 in the signed application answer vouches for it.
    const bytes = ctx.bills.take(new URL(req.url).searchParams.get("token") ?? "");
    if (!bytes) return reply(404, { code: "RESOURCE_NOT_EXISTS", message: "账单文件不存在或已过期" });
    return new Response(Buffer.from(bytes), { headers: { "content-type": "application/octet-stream" } });
  }
  const create = /^\/v3\/pay\/transactions\/(native|jsapi|h5)$/.exec(path);
  if (create?.[1] && req.method === "POST") return createOrder(create[1] as keyof typeof PRODUCT, body, ctx, reply);
  if (path === "/v3/refund/domestic/refunds" && req.method === "POST") return refund(body, ctx, reply);
  const refundNo = /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/.exec(path)?.[1];
  if (refundNo && req.method === "GET") {
    const found = ctx.store.findRefund(decodeURIComponent(refundNo));
    if (!found || found.order.gateway !== "wechat") return reply(404, { code: "RESOURCE_NOT_EXISTS", message: "退款单不存在" });
    return reply(200, refundBody(found.order, found.refund));
  }

  const byNo = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)(\/close)?$/.exec(path);
  if (!byNo?.[1]) return reply(404, { code: "NOT_FOUND", message: "接口不存在" });
  const mchid = byNo[2] ? (body as { mchid?: unknown }).mchid : new URL(req.url).searchParams.get("mchid");
  if (mchid !== ctx.keys.wechat.mchId) return reply(400, { code: "PARAM_ERROR", message: "mchid" });
  const found = ctx.store.get(decodeURIComponent(byNo[1]));
  const o = found?.gateway === "wechat" ? found : undefined;
  if (!o) return reply(404, { code: "ORDER_NOT_EXIST", message: "订单不存在" });
  if (!byNo[2] && req.method === "GET") return reply(200, queryOrder(o, ctx));
  if (byNo[2] && req.method === "POST") {
    if (o.status === "paid") return reply(400, { code: "ORDERPAID", message: "该订单已支付" });
    ctx.close(o);
    return reply(204);
  }
  return reply(405, { code: "METHOD_NOT_ALLOWED", message: "方法不允许" });
}
