import "server-only";
import { AlipaySdk, type AlipaySdkCommonResult } from "alipay-sdk";
import { parseAlipayNotify } from "./alipay-notify";
import { BillFormatError, parseAlipayTradeBill, totalsOf } from "./bill-wire";
import { formatAlipayTime } from "./china-time";
import { loadKey } from "./keys";
import { alipayAmountToFen, fenToAlipayAmount } from "./money";
import {
  billDateSchema,
  createOrderInputSchema,
  GatewayError,
  outTradeNoSchema,
  refundInputSchema,
  refundQueryInputSchema,
  validated,
  type PaymentProvider,
  type QueryResult,
} from "./types";

export const ALIPAY_GATEWAY = "https://openapi.alipay.com/gateway.do";

export interface AlipayConfig {
  appId: string;
  /** App private key (PEM text, file path or bare base64; PKCS#1 or PKCS#8). */
  privateKey: string;
  /** Alipay's public key: verifies responses and notifies. */
  alipayPublicKey: string;
  /** v2 gateway URL; the sandbox gateway sets its own. */
  gateway?: string;
  /** v3 endpoint (unused by these calls, kept so it can be pointed away from production too). */
  endpoint?: string;
  /** Merchant PID (2088…); when set, notifies naming another seller are rejected. */
  sellerId?: string;
  timeoutMs?: number;
  clock?: () => Date;
}

const TRADE_STATUS: Record<string, QueryResult["status"]> = {
  WAIT_BUYER_PAY: "pending",
  TRADE_SUCCESS: "paid",
  TRADE_FINISHED: "paid",
  // Also what a fully refunded trade shows: callers never move a paid payment back on this.
  TRADE_CLOSED: "closed",
};

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/**
 * alipay-sdk throws AlipayRequestError("验签失败…") on a bad response signature, and a plain
 * TypeError when the `sign` field is missing altogether; both mean "do not trust this answer".
 */
function toGatewayError(e: unknown): GatewayError {
  if (e instanceof GatewayError) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (message.includes("验签") || (e instanceof TypeError && message.includes('"signature" argument'))) {
    return new GatewayError("BAD_RESPONSE_SIGNATURE", `Alipay response signature invalid: ${message.slice(0, 200)}`);
  }
  return new GatewayError("GATEWAY_ERROR", `Alipay call failed: ${message.slice(0, 200)}`);
}

export function createAlipayProvider(config: AlipayConfig): PaymentProvider {
  const sdk = new AlipaySdk({
    appId: config.appId,
    // Canonical PKCS#8 from loadKey: keyType PKCS8 is then always right.
    privateKey: loadKey(config.privateKey, "private", "ALIPAY_PRIVATE_KEY"),
    keyType: "PKCS8",
    // Must be non-empty: with no public key the SDK silently skips response verification.
    alipayPublicKey: loadKey(config.alipayPublicKey, "public", "ALIPAY_PUBLIC_KEY"),
    signType: "RSA2",
    gateway: config.gateway ?? ALIPAY_GATEWAY,
    endpoint: config.endpoint ?? "https://openapi.alipay.com",
    timeout: config.timeoutMs ?? 10_000,
    camelcase: false,
  });
  const clock = config.clock ?? (() => new Date());
  // Passing `timestamp` overrides the SDK's local-zone one (its sign() copies params last).
  const timestamp = () => formatAlipayTime(clock());

  async function call(method: string, bizContent: object, extra: Record<string, string> = {}) {
    try {
      return await sdk.exec(method, { timestamp: timestamp(), ...extra, bizContent }, { validateSign: true });
    } catch (e) {
      throw toGatewayError(e);
    }
  }

  const failure = (r: AlipaySdkCommonResult, what: string) =>
    new GatewayError("GATEWAY_ERROR", `Alipay ${what}: ${r.code} ${r.sub_code ?? ""} ${r.sub_msg ?? r.msg}`, r.sub_code);

  async function query(outTradeNo: string): Promise<QueryResult> {
    const r = await call("alipay.trade.query", { out_trade_no: validated(outTradeNoSchema, outTradeNo) });
    // A page-pay trade exists at Alipay only once the buyer opened the cashier.
    if (r.sub_code === "ACQ.TRADE_NOT_EXIST") return { status: "pending" };
    const status = r.code === "10000" ? TRADE_STATUS[String(r.trade_status)] : undefined;
    if (!status) throw failure(r, "query");
    const total = str(r.total_amount);
    return { status, gatewayTradeNo: str(r.trade_no), amountFen: total ? alipayAmountToFen(total) : undefined };
  }

  return {
    name: "alipay",
    channels: ["qr", "page", "mobile_web"],

    async createOrder(raw) {
      const input = validated(createOrderInputSchema, raw);
      const biz: Record<string, string> = {
        out_trade_no: input.outTradeNo,
        total_amount: fenToAlipayAmount(input.amountFen),
        subject: input.subject,
      };
      if (input.expiresAt) biz.time_expire = formatAlipayTime(input.expiresAt);
      const urls = { notifyUrl: input.notifyUrl, ...(input.returnUrl ? { returnUrl: input.returnUrl } : {}) };

      if (input.channel === "qr") {
        const r = await call("alipay.trade.precreate", biz, { notifyUrl: input.notifyUrl });
        const qr = str(r.qr_code);
        if (r.code !== "10000" || !qr) throw failure(r, "precreate");
        return { codeUrl: qr };
      }
      if (input.channel !== "page" && input.channel !== "mobile_web") {
        throw new GatewayError("UNSUPPORTED_CHANNEL", `Alipay has no ${input.channel} channel`);
      }
      const wap = input.channel === "mobile_web";
      const bizContent = wap
        ? { ...biz, product_code: "QUICK_WAP_WAY", ...(input.returnUrl ? { quit_url: input.returnUrl } : {}) }
        : { ...biz, product_code: "FAST_INSTANT_TRADE_PAY" };
      // pageExecute GET only signs locally and returns the URL; no network call.
      const payUrl = sdk.pageExecute(wap ? "alipay.trade.wap.pay" : "alipay.trade.page.pay", "GET", {
        bizContent,
        timestamp: timestamp(),
        ...urls,
      });
      return { payUrl };
    },

    // async: a rejection must arrive as a rejected promise, never as a synchronous throw.
    parseNotify: async (input) => parseAlipayNotify(sdk, config, input),

    query,

    async close(outTradeNo) {
      const r = await call("alipay.trade.close", { out_trade_no: validated(outTradeNoSchema, outTradeNo) });
      if (r.code === "10000" || r.sub_code === "ACQ.TRADE_NOT_EXIST") return;
      if (r.sub_code === "ACQ.TRADE_STATUS_ERROR") {
        // Alipay says this both for "already closed" and "already paid": ask which.
        const q = await query(outTradeNo);
        if (q.status === "closed") return;
        if (q.status === "paid") throw new GatewayError("ALREADY_PAID", `${outTradeNo} is paid`, r.sub_code);
      }
      throw failure(r, "close");
    },

    async refund(raw) {
      const input = validated(refundInputSchema, raw);
      const r = await call("alipay.trade.refund", {
        out_trade_no: input.outTradeNo,
        refund_amount: fenToAlipayAmount(input.amountFen),
        out_request_no: input.outRefundNo,
        ...(input.reason ? { refund_reason: input.reason } : {}),
      });
      if (r.code !== "10000") {
        // A system error or a busy gateway is worth the same call again; anything else is a refusal.
        if (r.code === "20000" || r.sub_code === "ACQ.SYSTEM_ERROR") throw failure(r, "refund");
        throw new GatewayError("REFUND_FAILED", `Alipay refund: ${r.sub_code ?? r.code} ${r.sub_msg ?? r.msg}`, r.sub_code);
      }
      // Alipay has no refund id: a refund is (trade_no, out_request_no). fund_change "N" means
      // no money moved on this call (e.g. a repeat), so the caller confirms by notify or query.
      return {
        status: r.fund_change === "Y" ? "succeeded" : "pending",
        gatewayRefundId: `${String(r.trade_no)}/${input.outRefundNo}`,
        gatewayStatus: `fund_change ${String(r.fund_change ?? "")}`.trim(),
      };
    },

    async queryRefund(raw) {
      const input = validated(refundQueryInputSchema, raw);
      const r = await call("alipay.trade.fastpay.refund.query", {
        out_trade_no: input.outTradeNo,
        out_request_no: input.outRefundNo,
        query_options: ["gmt_refund_pay"],
      });
      if (r.sub_code === "ACQ.TRADE_NOT_EXIST") return { status: "not_found", gatewayStatus: "ACQ.TRADE_NOT_EXIST" };
      if (r.code !== "10000") throw failure(r, "refund query");
      // "10000" only says the query worked. REFUND_SUCCESS means done; no refund_status means
      // Alipay did not take the refund (retry it with the same out_request_no).
      if (r.refund_status === "REFUND_SUCCESS") {
        const amount = str(r.refund_amount);
        return {
          status: "succeeded",
          gatewayStatus: "REFUND_SUCCESS",
          gatewayRefundId: `${String(r.trade_no)}/${input.outRefundNo}`,
          amountFen: amount ? alipayAmountToFen(amount) : undefined,
        };
      }
      return { status: "not_found", gatewayStatus: str(r.refund_status) ?? "NOT_FOUND" };
    },

    async downloadBill(date) {
      const day = validated(billDateSchema, date);
      const r = await call("alipay.data.dataservice.bill.downloadurl.query", { bill_type: "trade", bill_date: day });
      if (r.sub_code === "isp.bill_not_exist") return { lines: [], totals: totalsOf([]), files: [] };
      const url = str(r.bill_download_url);
      if (r.code !== "10000" || !url) throw failure(r, "bill download URL");
      let bytes: Uint8Array;
      try {
        // A pre-signed address, valid for 30 seconds: fetched as it is.
        const res = await fetch(url, { redirect: "follow", signal: AbortSignal.timeout(config.timeoutMs ?? 30_000) });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        bytes = new Uint8Array(await res.arrayBuffer());
      } catch (e) {
        throw new GatewayError("GATEWAY_ERROR", `Alipay bill download failed: ${(e as Error).message}`);
      }
      try {
        return { ...parseAlipayTradeBill(bytes), files: [{ name: `alipay-trade-${day}.csv.zip`, bytes }] };
      } catch (e) {
        if (e instanceof BillFormatError) throw new GatewayError("GATEWAY_ERROR", e.message);
        throw e;
      }
    },

    notifyAck(ok) {
      return new Response(ok ? "success" : "failure", {
        status: 200,
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    },
  };
}
