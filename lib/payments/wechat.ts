import "server-only";
import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import Pay from "wechatpay-node-v3";
import type { Output } from "wechatpay-node-v3/dist/lib/interface-v2";
import { BillFormatError, parseWechatTradeBill, totalsOf } from "./bill-wire";
import { formatWechatTime } from "./china-time";
import { certificateMatchesKey, certificateSerial, KeyConfigError, loadKey } from "./keys";
import { fenToWechatTotal, wechatTotalToFen } from "./money";
import {
  billDateSchema,
  createOrderInputSchema,
  GatewayError,
  outTradeNoSchema,
  refundInputSchema,
  refundQueryInputSchema,
  validated,
} from "./types";
import type { PaymentProvider, QueryResult, RefundQueryResult } from "./types";
import { createWechatHttp, WECHAT_API_BASE } from "./wechat-http";
import { parseWechatNotify } from "./wechat-notify";
import { createWechatVerifier } from "./wechat-verify";

export interface WechatConfig {
  appId: string;
  mchId: string;
  /** Merchant certificate serial; derived from `certificate` when omitted. */
  serialNo?: string;
  /** Merchant API private key (apiclient_key.pem). */
  privateKey: string;
  /** Merchant API certificate (apiclient_cert.pem). */
  certificate: string;
  /** WeChat Pay platform public key and its id (PUB_KEY_ID_…): verifies responses and notifies. */
  platformPublicKey: string;
  platformSerial: string;
  /** APIv3 key: 32 bytes, decrypts notify resources. */
  apiV3Key: string;
  baseUrl?: string;
  timeoutMs?: number;
  clock?: () => Date;
}

const TRADE_STATE: Record<string, QueryResult["status"]> = {
  NOTPAY: "pending",
  USERPAYING: "pending",
  SUCCESS: "paid",
  // Paid first, refunded since: the payment itself happened.
  REFUND: "paid",
  CLOSED: "closed",
  REVOKED: "closed",
  PAYERROR: "closed",
};

/** WeChat limits `description` to 127 bytes of UTF-8; cut on a character boundary. */
function description(subject: string): string {
  let out = "";
  for (const ch of subject) {
    if (Buffer.byteLength(out + ch) > 127) break;
    out += ch;
  }
  return out;
}

const errorCode = (r: Output) => (r.data as { code?: string } | undefined)?.code;

/** Worth the same request again (WeChat: "原单原参数重试"): a server error or the rate limit. */
const transient = (r: Output) =>
  r.status >= 500 || r.status === 429 || errorCode(r) === "SYSTEM_ERROR" || errorCode(r) === "FREQUENCY_LIMITED";

const REFUND_STATE: Record<string, RefundQueryResult["status"]> = {
  SUCCESS: "succeeded",
  PROCESSING: "pending",
  ABNORMAL: "abnormal",
  CLOSED: "closed",
};

function failure(r: Output, what: string): GatewayError {
  const body = r.data as { code?: string; message?: string } | undefined;
  return new GatewayError("GATEWAY_ERROR", `WeChat Pay ${what}: HTTP ${r.status} ${body?.code ?? ""} ${body?.message ?? ""}`, body?.code);
}

/**
 * Applies for a bill and downloads it: the signed answer names the file and its SHA1 (over the
 * uncompressed bill), checked here. null when WeChat has no bill for the day (NO_STATEMENT_EXIST).
 */
async function downloadBillFile(pay: Pay, apply: Promise<Output>, what: string): Promise<{ bytes: Uint8Array; text: string } | null> {
  const r = await apply;
  if (r.status === 400 && errorCode(r) === "NO_STATEMENT_EXIST") return null;
  const d = r.data as { download_url?: string; hash_type?: string; hash_value?: string } | undefined;
  if (r.status !== 200 || !d?.download_url || d.hash_type !== "SHA1" || !d.hash_value) throw failure(r, what);
  const file = await pay.downloadBill(d.download_url);
  if (file.status !== 200 || !Buffer.isBuffer(file.data)) throw failure(file, `${what} download`);
  let plain: Buffer;
  try {
    plain = gunzipSync(file.data);
  } catch {
    throw new GatewayError("GATEWAY_ERROR", `WeChat Pay ${what} is not gzip`);
  }
  if (createHash("sha1").update(plain).digest("hex") !== d.hash_value.toLowerCase()) {
    throw new GatewayError("GATEWAY_ERROR", `WeChat Pay ${what} does not match its SHA1`);
  }
  return { bytes: new Uint8Array(file.data), text: plain.toString("utf8") };
}

export function createWechatProvider(config: WechatConfig): PaymentProvider {
  const privateKey = loadKey(config.privateKey, "private", "WECHATPAY_PRIVATE_KEY");
  const certificate = loadKey(config.certificate, "certificate", "WECHATPAY_CERT");
  if (!certificateMatchesKey(certificate, privateKey)) {
    throw new KeyConfigError("WECHATPAY_CERT is not the certificate of WECHATPAY_PRIVATE_KEY");
  }
  const serialNo = config.serialNo?.toUpperCase() ?? certificateSerial(certificate);
  if (serialNo !== certificateSerial(certificate)) throw new KeyConfigError("WECHATPAY_SERIAL_NO does not match WECHATPAY_CERT");
  if (Buffer.byteLength(config.apiV3Key, "utf8") !== 32) throw new KeyConfigError("WECHATPAY_APIV3_KEY must be 32 bytes");
  const clock = config.clock ?? (() => new Date());

  const pay = new Pay({
    appid: config.appId,
    mchid: config.mchId,
    serial_no: serialNo,
    publicKey: Buffer.from(certificate),
    privateKey: Buffer.from(privateKey),
    key: config.apiV3Key,
  });
  const verify = createWechatVerifier(pay, {
    serial: config.platformSerial,
    publicKeyPem: loadKey(config.platformPublicKey, "public", "WECHATPAY_PLATFORM_PUBLIC_KEY"),
  });
  pay.createHttp(createWechatHttp({ baseUrl: config.baseUrl ?? WECHAT_API_BASE, timeoutMs: config.timeoutMs ?? 10_000, verify, clock }));
  const billFile = (apply: Promise<Output>, what: string) => downloadBillFile(pay, apply, what);

  return {
    name: "wechat",
    channels: ["qr", "mobile_web", "jsapi"],

    async createOrder(raw) {
      const input = validated(createOrderInputSchema, raw);
      const common = {
        description: description(input.subject),
        out_trade_no: input.outTradeNo,
        notify_url: input.notifyUrl,
        amount: { total: fenToWechatTotal(input.amountFen), currency: "CNY" },
        ...(input.expiresAt ? { time_expire: formatWechatTime(input.expiresAt) } : {}),
      };
      if (input.channel === "qr") {
        const r = await pay.transactions_native({
          ...common,
          ...(input.clientIp ? { scene_info: { payer_client_ip: input.clientIp } } : {}),
        });
        const codeUrl = (r.data as { code_url?: string } | undefined)?.code_url;
        if (r.status !== 200 || !codeUrl) throw failure(r, "native order");
        return { codeUrl };
      }
      if (input.channel === "jsapi") {
        if (!input.openid) throw new GatewayError("INVALID_REQUEST", "jsapi needs the payer's openid");
        const r = await pay.transactions_jsapi({ ...common, payer: { openid: input.openid } });
        // On success the SDK swaps the prepay_id answer for the signed bridge arguments.
        const params = r.data as Record<string, string> | undefined;
        if (r.status !== 200 || !params?.paySign) throw failure(r, "jsapi order");
        return { jsapiParams: params };
      }
      if (input.channel === "mobile_web") {
        if (!input.clientIp) throw new GatewayError("INVALID_REQUEST", "H5 pay needs the payer's IP");
        const r = await pay.transactions_h5({
          ...common,
          scene_info: { payer_client_ip: input.clientIp, h5_info: { type: "Wap", app_name: "Yuyue" } },
        });
        const h5Url = (r.data as { h5_url?: string } | undefined)?.h5_url;
        if (r.status !== 200 || !h5Url) throw failure(r, "H5 order");
        return { h5Url };
      }
      throw new GatewayError("UNSUPPORTED_CHANNEL", `WeChat Pay has no ${input.channel} channel`);
    },

    parseNotify: (input) =>
      parseWechatNotify({ appId: config.appId, mchId: config.mchId, apiV3Key: config.apiV3Key, verify, clock }, input),

    async query(outTradeNo) {
      // Validated: the SDK pastes it into the URL path unescaped.
      const r = await pay.query({ out_trade_no: validated(outTradeNoSchema, outTradeNo) });
      // Never created (the create call failed before reaching WeChat): nothing to pay yet.
      if (r.status === 404 && errorCode(r) === "ORDER_NOT_EXIST") return { status: "pending" };
      const t = r.data as { trade_state?: string; transaction_id?: string; amount?: { total?: unknown } } | undefined;
      const status = r.status === 200 ? TRADE_STATE[t?.trade_state ?? ""] : undefined;
      if (!status || !t) throw failure(r, "query");
      const amountFen = t.amount?.total === undefined ? undefined : wechatTotalToFen(t.amount.total);
      return { status, gatewayTradeNo: t.transaction_id || undefined, amountFen };
    },

    async close(outTradeNo) {
      const r = await pay.close(validated(outTradeNoSchema, outTradeNo));
      if (r.status === 204 || r.status === 200) return;
      if (r.status === 404 && errorCode(r) === "ORDER_NOT_EXIST") return;
      if (errorCode(r) === "ORDERPAID") throw new GatewayError("ALREADY_PAID", `${outTradeNo} is paid`, "ORDERPAID");
      throw failure(r, "close");
    },

    async refund(raw) {
      const input = validated(refundInputSchema, raw);
      const r = await pay.refunds({
        out_trade_no: input.outTradeNo,
        out_refund_no: input.outRefundNo,
        ...(input.reason ? { reason: input.reason } : {}),
        ...(input.notifyUrl ? { notify_url: input.notifyUrl } : {}),
        amount: { refund: fenToWechatTotal(input.amountFen), total: fenToWechatTotal(input.totalFen), currency: "CNY" },
      });
      const d = r.data;
      if (transient(r)) throw failure(r, "refund");
      if (r.status !== 200 || !d?.refund_id) {
        throw new GatewayError("REFUND_FAILED", `WeChat Pay refund: HTTP ${r.status} ${errorCode(r) ?? ""}`, errorCode(r));
      }
      // A repeated out_refund_no answers the refund as it stands.
      if (d.status === "SUCCESS") return { status: "succeeded", gatewayRefundId: d.refund_id, gatewayStatus: d.status };
      if (d.status === "PROCESSING") return { status: "pending", gatewayRefundId: d.refund_id, gatewayStatus: d.status };
      if (d.status === "ABNORMAL") return { status: "abnormal", gatewayRefundId: d.refund_id, gatewayStatus: d.status };
      throw new GatewayError("REFUND_FAILED", `WeChat Pay refund ${d.refund_id} is ${d.status}`, d.status);
    },

    async queryRefund(raw) {
      // Validated: the SDK pastes out_refund_no into the URL path unescaped.
      const input = validated(refundQueryInputSchema, raw);
      const r = await pay.find_refunds(input.outRefundNo);
      if (r.status === 404 && errorCode(r) === "RESOURCE_NOT_EXISTS") return { status: "not_found", gatewayStatus: "RESOURCE_NOT_EXISTS" };
      const d = r.data as
        { refund_id?: string; out_refund_no?: string; out_trade_no?: string; status?: string; amount?: { refund?: unknown } } | undefined;
      const status = r.status === 200 ? REFUND_STATE[d?.status ?? ""] : undefined;
      if (!status || !d) throw failure(r, "refund query");
      if (d.out_refund_no !== input.outRefundNo || (d.out_trade_no && d.out_trade_no !== input.outTradeNo)) {
        throw new GatewayError(
          "GATEWAY_ERROR",
          `WeChat Pay refund query answered for ${d.out_refund_no ?? "?"} / ${d.out_trade_no ?? "?"}`,
        );
      }
      const amountFen = d.amount?.refund === undefined ? undefined : wechatTotalToFen(d.amount.refund);
      return { status, gatewayStatus: d.status ?? "", gatewayRefundId: d.refund_id, amountFen };
    },

    async downloadBill(date) {
      const day = validated(billDateSchema, date);
      const trade = await billFile(pay.tradebill({ bill_date: day, bill_type: "ALL", tar_type: "GZIP" }), "trade bill");
      if (!trade) return { lines: [], totals: totalsOf([]), files: [] };
      let parsed: ReturnType<typeof parseWechatTradeBill>;
      try {
        parsed = parseWechatTradeBill(trade.text);
      } catch (e) {
        if (e instanceof BillFormatError) throw new GatewayError("GATEWAY_ERROR", e.message);
        throw e;
      }
      const files = [{ name: `wechat-trade-${day}.csv.gz`, bytes: trade.bytes }];
      // The fund flow of the basic account (fees, refunds paid out) goes to the archive beside it.
      const flow = await billFile(pay.fundflowbill({ bill_date: day, account_type: "BASIC", tar_type: "GZIP" }), "fund flow bill");
      if (flow) files.push({ name: `wechat-fundflow-${day}.csv.gz`, bytes: flow.bytes });
      return { ...parsed, files };
    },

    notifyAck(ok, message) {
      if (ok) return new Response(null, { status: 204 });
      return Response.json({ code: "FAIL", message: message ?? "rejected" }, { status: 400 });
    },
  };
}
