import "server-only";
import { parsePaypalWebhook } from "./paypal-notify";
import { fenToMinor, minorToValue, PAYPAL_LIVE_API, partOfMinor, valueToMinor } from "./paypal-wire";
import {
  createOrderInputSchema,
  GatewayError,
  refundInputSchema,
  refundQueryInputSchema,
  validated,
  type GatewayOrder,
  type PaymentProvider,
  type QueryResult,
  type RefundQueryResult,
} from "./types";

/**
 * PayPal Orders v2 over its REST API. The official @paypal/paypal-server-sdk fixes its base URL to
 * PayPal's two hosts, so it could not talk to the sandbox stand-in; fetch speaks the same calls.
 * Every write carries PayPal-Request-Id (our trade or refund number), so a retried call is
 * answered with the first call's result instead of acting twice.
 */
export interface PaypalConfig {
  clientId: string;
  clientSecret: string;
  /** The webhook notices are signed for: a notice for another webhook id does not verify. */
  webhookId: string;
  apiBase?: string;
  /** ISO code the customer pays in; CNY prices convert at cnyPerUnit yuan per unit. */
  currency: string;
  cnyPerUnit: string;
  timeoutMs?: number;
  fetchCert?: (url: string) => Promise<string>;
}

type Json = Record<string, unknown>;
type Amount = { currency_code: string; value: string };
type Capture = { id: string; status: string; amount: Amount };
type Refund = { id: string; status: string; invoice_id?: string; amount?: Amount };
type Order = {
  id: string;
  status: string;
  links?: { href: string; rel: string }[];
  purchase_units?: { payments?: { captures?: Capture[]; refunds?: Refund[] } }[];
};

class PaypalHttpError extends GatewayError {
  constructor(
    readonly status: number,
    readonly issue: string,
    message: string,
  ) {
    super("GATEWAY_ERROR", message, issue);
  }
}

const issueOf = (body: Json) => {
  const details = body.details as { issue?: string }[] | undefined;
  return details?.[0]?.issue ?? (typeof body.name === "string" ? body.name : "UNKNOWN");
};

/** PayPal's refund states: PENDING settles later (a notice or our query), FAILED and CANCELLED moved nothing. */
const REFUND_STATE: Record<string, RefundQueryResult["status"]> = {
  COMPLETED: "succeeded",
  PENDING: "pending",
  FAILED: "closed",
  CANCELLED: "closed",
};

export function createPaypalProvider(config: PaypalConfig): PaymentProvider {
  const base = (config.apiBase ?? PAYPAL_LIVE_API).replace(/\/+$/, "");
  const timeout = config.timeoutMs ?? 10_000;
  let token: { value: string; until: number } | undefined;

  async function send(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(`${base}${path}`, { ...init, redirect: "error", signal: AbortSignal.timeout(timeout) });
    } catch (e) {
      throw new GatewayError("GATEWAY_ERROR", `PayPal unreachable: ${(e as Error).message}`);
    }
  }

  async function accessToken(): Promise<string> {
    if (token && token.until > Date.now()) return token.value;
    const res = await send("/v1/oauth2/token", {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${config.clientId}:${config.clientSecret}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=client_credentials",
    });
    const body = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: number };
    if (!res.ok || !body.access_token) throw new GatewayError("GATEWAY_ERROR", `PayPal token: HTTP ${res.status}`);
    token = { value: body.access_token, until: Date.now() + Math.max(0, (body.expires_in ?? 0) - 60) * 1000 };
    return token.value;
  }

  async function api<T>(method: "GET" | "POST", path: string, body?: Json, requestId?: string, retried = false): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${await accessToken()}`, "content-type": "application/json" };
    if (requestId) headers["paypal-request-id"] = requestId;
    // A full representation, so a repeated call (same request id) answers the whole resource.
    if (method === "POST") headers.prefer = "return=representation";
    const res = await send(path, { method, headers, body: body ? JSON.stringify(body) : undefined });
    const text = await res.text();
    let data: Json;
    try {
      data = text === "" ? {} : (JSON.parse(text) as Json);
    } catch {
      throw new GatewayError("GATEWAY_ERROR", `PayPal ${method} ${path}: HTTP ${res.status} with non-JSON`);
    }
    if (res.status === 401 && !retried) {
      // The token expired or was revoked early: one new token, one more try (the request id keeps it single).
      token = undefined;
      return api<T>(method, path, body, requestId, true);
    }
    if (!res.ok) throw new PaypalHttpError(res.status, issueOf(data), `PayPal ${method} ${path}: HTTP ${res.status} ${issueOf(data)}`);
    return data as T;
  }

  const needOrder = (order: GatewayOrder | undefined, what: string): GatewayOrder => {
    if (!order) throw new GatewayError("INVALID_REQUEST", `PayPal ${what} needs the order PayPal made`);
    return order;
  };
  const getOrder = (id: string) => api<Order>("GET", `/v2/checkout/orders/${encodeURIComponent(id)}`);
  const captureOf = (o: Order) => o.purchase_units?.[0]?.payments?.captures?.[0];
  const paid = (c: Capture): QueryResult => ({
    status: "paid",
    gatewayTradeNo: c.id,
    currency: c.amount.currency_code,
    amountMinor: valueToMinor(c.amount.value, c.amount.currency_code),
  });

  /** Captures an approved order once: the request id makes a repeat (the return page, the webhook, the job) answer the same capture. */
  async function capture(outTradeNo: string, orderId: string): Promise<Order> {
    try {
      return await api<Order>("POST", `/v2/checkout/orders/${encodeURIComponent(orderId)}/capture`, {}, `capture-${outTradeNo}`);
    } catch (e) {
      if (e instanceof PaypalHttpError && e.issue === "ORDER_ALREADY_CAPTURED") return getOrder(orderId);
      throw e;
    }
  }

  return {
    name: "paypal",
    channels: ["page", "mobile_web", "qr"],

    async createOrder(raw) {
      const input = validated(createOrderInputSchema, raw);
      const amountMinor = fenToMinor(input.amountFen, config.currency, config.cnyPerUnit);
      const back = input.returnUrl ?? input.notifyUrl;
      const order = await api<Order>(
        "POST",
        "/v2/checkout/orders",
        {
          intent: "CAPTURE",
          purchase_units: [
            {
              custom_id: input.outTradeNo,
              invoice_id: input.outTradeNo,
              description: input.subject.slice(0, 127),
              amount: { currency_code: config.currency, value: minorToValue(amountMinor, config.currency) },
            },
          ],
          payment_source: {
            paypal: {
              experience_context: { return_url: back, cancel_url: back, user_action: "PAY_NOW", shipping_preference: "NO_SHIPPING" },
            },
          },
        },
        input.outTradeNo,
      );
      const approve = order.links?.find((l) => l.rel === "payer-action" || l.rel === "approve")?.href;
      if (!approve) throw new GatewayError("GATEWAY_ERROR", `PayPal order ${order.id} has no approval link`);
      return {
        payUrl: approve,
        ...(input.channel === "qr" ? { codeUrl: approve } : {}),
        gatewayOrder: { orderId: order.id, currency: config.currency, amountMinor },
      };
    },

    parseNotify: (input) => parsePaypalWebhook(input, { webhookId: config.webhookId, apiBase: base, fetchCert: config.fetchCert }),

    /**
     * An order the payer approved is captured here: PayPal takes the money only when the merchant
     * captures, and the payer already said yes (the return page's poll, the webhook and the job
     * all come through here). An order PayPal no longer knows lapsed unapproved: closed.
     */
    async query(outTradeNo, order) {
      if (!order) return { status: "closed" };
      let o: Order;
      try {
        o = await getOrder(order.orderId);
      } catch (e) {
        if (e instanceof PaypalHttpError && e.status === 404) return { status: "closed" };
        throw e;
      }
      if (o.status === "APPROVED") o = await capture(outTradeNo, order.orderId);
      const c = captureOf(o);
      if (o.status === "COMPLETED" && c && (c.status === "COMPLETED" || c.status === "REFUNDED" || c.status === "PARTIALLY_REFUNDED"))
        return paid(c);
      if (o.status === "VOIDED" || c?.status === "DECLINED" || c?.status === "FAILED") return { status: "closed" };
      return { status: "pending" };
    },

    /** PayPal has no cancel for an order: one never captured lapses by itself and moves no money. */
    async close(_outTradeNo, order) {
      if (!order) return;
      try {
        const o = await getOrder(order.orderId);
        if (o.status === "COMPLETED") throw new GatewayError("ALREADY_PAID", `PayPal order ${order.orderId} was captured`);
      } catch (e) {
        if (e instanceof PaypalHttpError && e.status === 404) return;
        throw e;
      }
    },

    async refund(raw) {
      const input = validated(refundInputSchema, raw);
      const order = needOrder(input.order, "refund");
      if (!order.captureId) throw new GatewayError("INVALID_REQUEST", "PayPal refund needs the capture");
      const minor = partOfMinor(input.amountFen, input.totalFen, order.amountMinor);
      if (minor <= 0) throw new GatewayError("REFUND_FAILED", `under one ${order.currency} minor unit`, "AMOUNT_TOO_SMALL");
      let r: Refund;
      try {
        r = await api<Refund>(
          "POST",
          `/v2/payments/captures/${encodeURIComponent(order.captureId)}/refund`,
          {
            amount: { currency_code: order.currency, value: minorToValue(minor, order.currency) },
            invoice_id: input.outRefundNo,
            custom_id: input.outTradeNo,
          },
          input.outRefundNo,
        );
      } catch (e) {
        // 422: PayPal refuses this refund (exceeds the capture, already refunded…): final until staff retry.
        if (e instanceof PaypalHttpError && e.status === 422) throw new GatewayError("REFUND_FAILED", e.message, e.issue);
        throw e;
      }
      const state = REFUND_STATE[r.status] ?? "pending";
      if (state === "closed") throw new GatewayError("REFUND_FAILED", `PayPal refund ${r.id} ${r.status}`, r.status);
      return { status: state === "succeeded" ? "succeeded" : "pending", gatewayRefundId: r.id, gatewayStatus: r.status };
    },

    /** The order lists its refunds; ours is the one carrying our refund number as invoice_id. */
    async queryRefund(raw) {
      const input = validated(refundQueryInputSchema, raw);
      const order = needOrder(input.order, "refund query");
      const o = await getOrder(order.orderId);
      const r = o.purchase_units?.[0]?.payments?.refunds?.find((x) => x.invoice_id === input.outRefundNo);
      if (!r) return { status: "not_found", gatewayStatus: "NOT_FOUND" };
      return { status: REFUND_STATE[r.status] ?? "pending", gatewayStatus: r.status, gatewayRefundId: r.id };
    },

    downloadBill() {
      return Promise.reject(new GatewayError("INVALID_REQUEST", "PayPal statements are not reconciled here"));
    },

    /** Any 2xx stops PayPal's redelivery; anything else makes it try again (up to 25 times over 3 days). */
    notifyAck(ok, message) {
      return ok ? new Response(null, { status: 200 }) : Response.json({ error: message ?? "rejected" }, { status: 400 });
    },
  };
}
