import "server-only";
import { formatAlipayTime } from "../china-time";
import { sandboxAllowed, type SandboxEnv } from "./allowed";
import { handleAlipayGateway } from "./alipay-api";
import { BillFiles } from "./bills";
import { errorPage, handleCashier, htmlPage } from "./cashier";
import type { SandboxContext } from "./context";
import { sandboxConfig, sandboxKeys, type SandboxMerchantConfig } from "./keys";
import { alipayRefundNotify, alipayTradeNotify, deliver, wechatPaidNotify, wechatRefundNotify, type NotifyDelivery } from "./notify";
import { createSandboxPaypal, type SandboxPaypal } from "./paypal-api";
import { OrderStore, type PreparedNotify, type SandboxOrder, type SandboxRefund, type SandboxRefundStatus } from "./store";
import { handleWechatApi } from "./wechat-api";
import { log } from "@/lib/log";
import { createSandboxWechatPlatform, type SandboxWechatPlatform } from "./wechat-apps-api";

export class SandboxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SandboxError";
  }
}

export interface SandboxGatewayOptions {
  /** Keys live under `<dataDir>/keys/`, e.g. `.data/sandbox-gateway`. */
  dataDir: string;
  /** Where the gateway is reachable, mount prefix included, e.g. http://localhost:3000/sandbox-gateway. */
  baseUrl: string;
  env: SandboxEnv;
  clock?: () => Date;
  /** Where the PayPal stand-in sends webhooks; default the app's /api/payments/paypal/notify beside the mount. */
  paypalWebhookUrl?: string;
}

export interface SandboxGateway {
  readonly baseUrl: string;
  /** Config for the real providers so they talk to this gateway. */
  readonly merchantConfig: SandboxMerchantConfig;
  handle(req: Request): Promise<Response>;
  /** Buyer pays: order → paid, then the signed payment notify is sent and its answer returned. */
  approve(outTradeNo: string): Promise<NotifyDelivery | null>;
  /** Buyer gives up: order → closed. Alipay notifies TRADE_CLOSED; WeChat Pay sends nothing. */
  decline(outTradeNo: string): Promise<NotifyDelivery | null>;
  /** Sends the order's last notify again, same event id, as a gateway retry does. */
  redeliver(outTradeNo: string): Promise<NotifyDelivery>;
  order(outTradeNo: string): Readonly<SandboxOrder> | undefined;
  /** The cashier page for an order (the demo links here when a JSAPI bridge is unavailable). */
  cashierUrl(outTradeNo: string): string;
  /** Resolves once background notifies (refunds) have been delivered. */
  idle(): Promise<void>;
  /** Held: accepted refunds stay PROCESSING and no notice is sent until settleRefund. */
  holdRefunds(hold: boolean): void;
  /** Refuse refunds for lack of merchant balance until turned off. */
  refuseRefunds(refuse: boolean): void;
  /**
   * Moves a refund to a final state, as the gateway's back office does, and sends its notice
   * (WeChat: REFUND.SUCCESS/ABNORMAL/CLOSED; Alipay: success only) unless `notify` is false.
   */
  settleRefund(
    outRefundNo: string,
    status: Exclude<SandboxRefundStatus, "PROCESSING">,
    opts?: { notify?: boolean },
  ): Promise<NotifyDelivery | null>;
  refund(outRefundNo: string): Readonly<SandboxRefund> | undefined;
  /** The WeChat platform beside WeChat Pay: OAuth, code2session, access_token, subscribe messages. */
  readonly wechat: SandboxWechatPlatform;
  /** The PayPal stand-in, served under /paypal. */
  readonly paypal: SandboxPaypal;
}

export function createSandboxGateway(options: SandboxGatewayOptions): SandboxGateway {
  if (!sandboxAllowed(options.env)) {
    throw new SandboxError("the sandbox gateway is disabled in production (set SANDBOX_GATEWAY_ENABLED=1 to allow it)");
  }
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const prefix = new URL(baseUrl).pathname.replace(/\/+$/, "");
  const keys = sandboxKeys(options.dataDir);
  const store = new OrderStore();
  const now = options.clock ?? (() => new Date());
  const background = new Set<Promise<unknown>>();
  const wechat = createSandboxWechatPlatform(options.dataDir, prefix, now);
  const paypal = createSandboxPaypal({
    dataDir: options.dataDir,
    baseUrl,
    webhookUrl: options.paypalWebhookUrl ?? `${new URL(baseUrl).origin}/api/payments/paypal/notify`,
    now,
  });
  let held = false;
  let refused = false;

  const send = (o: SandboxOrder, n: PreparedNotify) => {
    o.lastNotify = n;
    return deliver(keys, n, now());
  };

  /** The refund's notice, where the gateway sends one: Alipay only announces money that moved. */
  const refundNotice = (o: SandboxOrder, r: SandboxRefund) => {
    if (o.gateway === "alipay" && o.notifyUrl && r.status === "SUCCESS") {
      return send(o, alipayRefundNotify(keys, o, r, store.refundedFen(o), o.notifyUrl, now()));
    }
    if (o.gateway === "wechat" && r.notifyUrl) return send(o, wechatRefundNotify(keys, o, r, r.notifyUrl, now()));
    return Promise.resolve(null);
  };

  const ctx: SandboxContext = {
    keys,
    store,
    baseUrl,
    bills: new BillFiles(),
    now,
    alipayTime: () => formatAlipayTime(now()),
    cashierUrl: (no) => `${baseUrl}/cashier?out_trade_no=${encodeURIComponent(no)}`,
    errorPage,
    close(o) {
      if (o.status === "pending") Object.assign(o, { status: "closed", closedAt: now() });
    },
    refunded(o, r) {
      if (held || o.refundMode === "hold") return;
      // After the API answer, as at the real gateways: the notify never overtakes the response.
      const task = new Promise((resolve) => setImmediate(resolve)).then(() => {
        r.status = "SUCCESS";
        return refundNotice(o, r);
      });
      background.add(task);
      void task.finally(() => background.delete(task));
    },
    refundsHeld: (o) => held || o.refundMode === "hold",
    refundsRefused: (o) => refused || o.refundMode === "refuse",
  };

  function payable(outTradeNo: string): SandboxOrder {
    const o = store.get(outTradeNo);
    if (!o) throw new SandboxError(`unknown order ${outTradeNo}`);
    if (!store.payable(o, now())) throw new SandboxError(`order ${outTradeNo} is ${o.status} or expired`);
    return o;
  }

  async function route(req: Request): Promise<Response> {
    const path = new URL(req.url).pathname;
    if (path !== prefix && !path.startsWith(`${prefix}/`)) return errorPage(404, "Not found");
    const sub = path.slice(prefix.length) || "/";
    if (sub === "/alipay/gateway.do") return handleAlipayGateway(req, ctx);
    if (sub === "/alipay/billdownload") return billDownload(req);
    if (sub.startsWith("/wechat/")) return handleWechatApi(req, sub.slice("/wechat".length), ctx);
    if (sub === "/cashier" || sub.startsWith("/cashier/")) return handleCashier(req, sub, ctx, { approve, decline });
    if (sub === "/control/refunds" && req.method === "POST") return refundControl(req);
    if (sub === "/control/jsapi-pay" && req.method === "POST") return jsapiPay(req);
    if (sub.startsWith("/wechat-open/")) return wechat.handleOpen(req, sub.slice("/wechat-open".length));
    if (sub.startsWith("/wechat-api/")) return wechat.handleApi(req, sub.slice("/wechat-api".length));
    if (sub.startsWith("/paypal/")) return paypal.handle(req, sub.slice("/paypal".length));
    return errorPage(404, "Not found");
  }

  /**
   * The back office, for demos and browser tests: POST out_trade_no and mode (normal, hold, refuse)
   * to decide how that order's next refunds go, e.g. to show staff a refund the gateway refused.
   */
  async function refundControl(req: Request): Promise<Response> {
    const form = new URLSearchParams(await req.text());
    const o = store.get(form.get("out_trade_no") ?? "");
    const mode = form.get("mode");
    if (!o) return errorPage(404, "No such order");
    if (mode !== "normal" && mode !== "hold" && mode !== "refuse") return errorPage(400, "mode must be normal, hold or refuse");
    o.refundMode = mode;
    return htmlPage(200, "Refunds 退款", `<p>Refund mode: ${mode}</p>`);
  }

  /** The pre-signed address an Alipay bill answer names: the zip, once. */
  async function billDownload(req: Request): Promise<Response> {
    const bytes = ctx.bills.take(new URL(req.url).searchParams.get("token") ?? "");
    if (!bytes) return errorPage(404, "bill file expired");
    return new Response(Buffer.from(bytes), { headers: { "content-type": "application/octet-stream" } });
  }

  /**
   * The WeChat app's side of `getBrandWCPayRequest`, for a stand-in WeixinJSBridge: POST prepay_id
   * (the `package` the page signed) and the buyer pays; answers the order's state as JSON.
   */
  async function jsapiPay(req: Request): Promise<Response> {
    const form = new URLSearchParams(await req.text());
    const o = store.findByPrepayId((form.get("prepay_id") ?? "").replace(/^prepay_id=/, ""));
    if (!o) return Response.json({ err_msg: "get_brand_wcpay_request:fail", reason: "unknown prepay_id" }, { status: 404 });
    if (!store.payable(o, now())) return Response.json({ err_msg: "get_brand_wcpay_request:fail", reason: o.status }, { status: 409 });
    const delivery = await approve(o.outTradeNo);
    return Response.json({ err_msg: "get_brand_wcpay_request:ok", notifyStatus: delivery?.status ?? null });
  }

  async function approve(outTradeNo: string) {
    const o = payable(outTradeNo);
    Object.assign(o, { status: "paid", paidAt: now() });
    if (!o.notifyUrl) return null;
    return send(o, o.gateway === "alipay" ? alipayTradeNotify(keys, o, o.notifyUrl, now()) : wechatPaidNotify(keys, o, o.notifyUrl, now()));
  }

  async function decline(outTradeNo: string) {
    const o = payable(outTradeNo);
    Object.assign(o, { status: "closed", closedAt: now() });
    // WeChat Pay has no notify for an unpaid order closing; merchants learn it by query.
    if (o.gateway !== "alipay" || !o.notifyUrl) return null;
    return send(o, alipayTradeNotify(keys, o, o.notifyUrl, now()));
  }

  return {
    baseUrl,
    merchantConfig: sandboxConfig(options.dataDir, baseUrl),
    async handle(req) {
      try {
        return await route(req);
      } catch (e) {
        // The sandbox plays a remote service: answer like one, never with a stack trace.
        log.error("[sandbox-gateway]", e);
        return errorPage(500, "sandbox gateway error");
      }
    },
    approve,
    decline,
    async redeliver(outTradeNo) {
      const o = store.get(outTradeNo);
      if (!o?.lastNotify) throw new SandboxError(`no notify was sent for ${outTradeNo}`);
      return deliver(keys, o.lastNotify, now());
    },
    order: (outTradeNo) => store.get(outTradeNo),
    cashierUrl: ctx.cashierUrl,
    async idle() {
      while (background.size > 0) await Promise.allSettled([...background]);
      await paypal.idle();
    },
    holdRefunds(hold) {
      held = hold;
    },
    refuseRefunds(refuse) {
      refused = refuse;
    },
    async settleRefund(outRefundNo, status, opts = {}) {
      const found = store.findRefund(outRefundNo);
      if (!found) throw new SandboxError(`unknown refund ${outRefundNo}`);
      found.refund.status = status;
      return opts.notify === false ? null : refundNotice(found.order, found.refund);
    },
    refund: (outRefundNo) => store.findRefund(outRefundNo)?.refund,
    wechat,
    paypal,
  };
}
