import { randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { minorToValue, signTransmission, valueToMinor } from "../paypal-wire";
import { htmlPage } from "./cashier";
import type { NotifyDelivery } from "./notify";
import { sandboxPaypalKeys, type SandboxPaypalKeys } from "./paypal-keys";

/**
 * The PayPal stand-in: the Orders v2 and Payments v2 calls the provider makes (OAuth client
 * credentials, create, get, capture, refund), PayPal-Request-Id idempotency, the buyer's approval
 * page, and webhooks signed as PayPal signs them (SHA256withRSA over
 * `transmission_id|time|webhook_id|crc32(body)`, the certificate served at PAYPAL-CERT-URL).
 * State is in memory, like the other stand-ins.
 */
type Amount = { currency_code: string; value: string };
type Link = { href: string; rel: string; method: string };

interface PaypalRefund {
  id: string;
  status: "COMPLETED" | "PENDING";
  amount: Amount;
  invoice_id: string;
  custom_id?: string;
  create_time: string;
  links: Link[];
}

interface PaypalCapture {
  id: string;
  status: "COMPLETED" | "PARTIALLY_REFUNDED" | "REFUNDED";
  amount: Amount;
  final_capture: true;
  custom_id: string;
  invoice_id?: string;
  create_time: string;
  supplementary_data: { related_ids: { order_id: string } };
  links: Link[];
}

export interface PaypalOrder {
  id: string;
  intent: "CAPTURE";
  status: "PAYER_ACTION_REQUIRED" | "APPROVED" | "COMPLETED" | "VOIDED";
  create_time: string;
  purchase_units: {
    reference_id: string;
    custom_id: string;
    invoice_id?: string;
    description?: string;
    amount: Amount;
    payments?: { captures: PaypalCapture[]; refunds: PaypalRefund[] };
  }[];
  returnUrl: string;
  cancelUrl: string;
  payerId?: string;
}

export interface PaypalEvent {
  id: string;
  event_type: string;
  body: string;
}

export interface SandboxPaypal {
  handle(req: Request, path: string): Promise<Response>;
  /** The buyer approves on the checkout page: APPROVED, then CHECKOUT.ORDER.APPROVED is sent and its answer returned. */
  approve(orderId: string): Promise<NotifyDelivery>;
  order(orderId: string): Readonly<PaypalOrder> | undefined;
  /** The order made for our trade number (custom_id). */
  orderFor(outTradeNo: string): Readonly<PaypalOrder> | undefined;
  /** Every event sent, oldest first. */
  readonly events: readonly PaypalEvent[];
  /** Sends an event again (same event id, a new transmission), as PayPal's retries and "Resend" do. */
  redeliver(eventId: string): Promise<NotifyDelivery>;
  /** Resolves once background webhooks (after capture and refund answers) are delivered. */
  idle(): Promise<void>;
}

const ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const paypalId = () => Array.from(randomBytes(17), (b) => ID_ALPHABET[b % 36]).join("");
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

const error = (status: number, name: string, issue: string, description = issue) =>
  Response.json({ name, message: description, debug_id: randomBytes(6).toString("hex"), details: [{ issue, description }] }, { status });
const unprocessable = (issue: string) => error(422, "UNPROCESSABLE_ENTITY", issue);

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export function createSandboxPaypal(options: { dataDir: string; baseUrl: string; webhookUrl: string; now: () => Date }): SandboxPaypal {
  const api = `${options.baseUrl}/paypal`;
  const keys = (): SandboxPaypalKeys => sandboxPaypalKeys(options.dataDir);
  const orders = new Map<string, PaypalOrder>();
  const tokens = new Set<string>();
  const answered = new Map<string, { status: number; body: unknown }>();
  const events: PaypalEvent[] = [];
  const background = new Set<Promise<unknown>>();
  const iso = () =>
    options
      .now()
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z");

  const orderLinks = (o: PaypalOrder): Link[] => [
    { href: `${api}/v2/checkout/orders/${o.id}`, rel: "self", method: "GET" },
    ...(o.status === "PAYER_ACTION_REQUIRED" ? [{ href: `${api}/checkoutnow?token=${o.id}`, rel: "payer-action", method: "GET" }] : []),
  ];
  const view = (o: PaypalOrder) => {
    const { returnUrl: _r, cancelUrl: _c, payerId, ...wire } = o;
    return { ...wire, ...(payerId ? { payer: { payer_id: payerId } } : {}), links: orderLinks(o) };
  };

  async function send(e: PaypalEvent): Promise<NotifyDelivery> {
    const k = keys();
    const transmissionId = randomUUID();
    const time = iso();
    const headers = {
      "content-type": "application/json",
      "paypal-transmission-id": transmissionId,
      "paypal-transmission-time": time,
      "paypal-transmission-sig": signTransmission(k.signingKey, transmissionId, time, k.webhookId, e.body),
      "paypal-cert-url": `${api}/v1/notifications/certs/${k.certId}`,
      "paypal-auth-algo": "SHA256withRSA",
    };
    try {
      const res = await fetch(options.webhookUrl, { method: "POST", headers, body: e.body, signal: AbortSignal.timeout(15_000) });
      return { status: res.status, body: await res.text() };
    } catch {
      return { status: 0, body: "" };
    }
  }

  function event(type: string, resourceType: string, resource: unknown, summary: string): PaypalEvent {
    const id = `WH-${paypalId()}`;
    const body = JSON.stringify({
      id,
      event_version: "1.0",
      create_time: iso(),
      resource_type: resourceType,
      resource_version: "2.0",
      event_type: type,
      summary,
      resource,
    });
    const e = { id, event_type: type, body };
    events.push(e);
    return e;
  }

  /** After the API answer, as at PayPal: the webhook never overtakes the response. */
  function later(e: PaypalEvent) {
    const task = new Promise((resolve) => setImmediate(resolve)).then(() => send(e));
    background.add(task);
    void task.finally(() => background.delete(task));
  }

  function authorised(req: Request): boolean {
    const bearer = /^Bearer (.+)$/.exec(req.headers.get("authorization") ?? "")?.[1];
    return Boolean(bearer && tokens.has(bearer));
  }

  async function token(req: Request): Promise<Response> {
    const basic = /^Basic (.+)$/.exec(req.headers.get("authorization") ?? "")?.[1] ?? "";
    const [id, secret] = Buffer.from(basic, "base64").toString("utf8").split(":");
    const form = new URLSearchParams(await req.text());
    const k = keys();
    if (id !== k.clientId || !sameSecret(secret ?? "", k.clientSecret) || form.get("grant_type") !== "client_credentials") {
      return Response.json({ error: "invalid_client", error_description: "Client Authentication failed" }, { status: 401 });
    }
    const value = `A21AA${randomBytes(24).toString("base64url")}`;
    tokens.add(value);
    return Response.json({
      scope: "https://uri.paypal.com/services/payments/payment",
      access_token: value,
      token_type: "Bearer",
      expires_in: 32400,
    });
  }

  function createOrder(body: Record<string, unknown>): Response {
    const units = body.purchase_units as PaypalOrder["purchase_units"] | undefined;
    const unit = units?.[0];
    const ctx = (body.payment_source as { paypal?: { experience_context?: { return_url?: string; cancel_url?: string } } } | undefined)
      ?.paypal?.experience_context;
    if (body.intent !== "CAPTURE" || !unit?.amount || units?.length !== 1 || !unit.custom_id)
      return unprocessable("INVALID_PARAMETER_VALUE");
    if (!ctx?.return_url || !ctx.cancel_url) return unprocessable("MISSING_REQUIRED_PARAMETER");
    try {
      if (valueToMinor(unit.amount.value, unit.amount.currency_code) <= 0) return unprocessable("CANNOT_BE_ZERO_OR_NEGATIVE");
    } catch {
      return unprocessable("DECIMAL_PRECISION");
    }
    if (unit.invoice_id && [...orders.values()].some((o) => o.purchase_units[0]?.invoice_id === unit.invoice_id))
      return unprocessable("DUPLICATE_INVOICE_ID");
    const o: PaypalOrder = {
      id: paypalId(),
      intent: "CAPTURE",
      status: "PAYER_ACTION_REQUIRED",
      create_time: iso(),
      purchase_units: [
        {
          reference_id: "default",
          custom_id: unit.custom_id,
          invoice_id: unit.invoice_id,
          description: unit.description,
          amount: unit.amount,
        },
      ],
      returnUrl: ctx.return_url,
      cancelUrl: ctx.cancel_url,
    };
    orders.set(o.id, o);
    return Response.json(view(o), { status: 201 });
  }

  function capture(o: PaypalOrder): Response {
    if (o.status === "COMPLETED") return unprocessable("ORDER_ALREADY_CAPTURED");
    if (o.status !== "APPROVED") return unprocessable("ORDER_NOT_APPROVED");
    const unit = o.purchase_units[0]!;
    const c: PaypalCapture = {
      id: paypalId(),
      status: "COMPLETED",
      amount: unit.amount,
      final_capture: true,
      custom_id: unit.custom_id,
      invoice_id: unit.invoice_id,
      create_time: iso(),
      supplementary_data: { related_ids: { order_id: o.id } },
      links: [{ href: `${api}/v2/payments/captures/PLACEHOLDER`, rel: "self", method: "GET" }],
    };
    c.links = [{ href: `${api}/v2/payments/captures/${c.id}`, rel: "self", method: "GET" }];
    unit.payments = { captures: [c], refunds: [] };
    o.status = "COMPLETED";
    later(event("PAYMENT.CAPTURE.COMPLETED", "capture", c, `Payment completed for ${unit.amount.value} ${unit.amount.currency_code}`));
    return Response.json(view(o), { status: 201 });
  }

  function findCapture(id: string) {
    for (const o of orders.values()) {
      const unit = o.purchase_units[0];
      const c = unit?.payments?.captures.find((x) => x.id === id);
      if (unit?.payments && c) return { unit: unit as Required<typeof unit>, capture: c };
    }
    return undefined;
  }

  function refund(captureId: string, body: Record<string, unknown>): Response {
    const found = findCapture(captureId);
    if (!found) return error(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID");
    const { unit, capture: c } = found;
    const currency = c.amount.currency_code;
    const total = valueToMinor(c.amount.value, currency);
    const refunded = unit.payments.refunds.reduce((s, r) => s + valueToMinor(r.amount.value, currency), 0);
    const asked = body.amount as Amount | undefined;
    let minor: number;
    try {
      minor = asked ? valueToMinor(asked.value, asked.currency_code) : total - refunded;
    } catch {
      return unprocessable("DECIMAL_PRECISION");
    }
    if (asked && asked.currency_code !== currency) return unprocessable("REFUND_CURRENCY_MISMATCH");
    if (refunded >= total) return unprocessable("CAPTURE_FULLY_REFUNDED");
    if (minor <= 0 || refunded + minor > total) return unprocessable("REFUND_AMOUNT_EXCEEDED");
    const r: PaypalRefund = {
      id: paypalId(),
      status: "COMPLETED",
      amount: { currency_code: currency, value: minorToValue(minor, currency) },
      invoice_id: typeof body.invoice_id === "string" ? body.invoice_id : "",
      custom_id: typeof body.custom_id === "string" ? body.custom_id : c.custom_id,
      create_time: iso(),
      links: [{ href: `${api}/v2/payments/captures/${c.id}`, rel: "up", method: "GET" }],
    };
    unit.payments.refunds.push(r);
    c.status = refunded + minor >= total ? "REFUNDED" : "PARTIALLY_REFUNDED";
    later(event("PAYMENT.CAPTURE.REFUNDED", "refund", r, `A ${r.amount.value} ${currency} capture payment was refunded`));
    return Response.json(r, { status: 201 });
  }

  /** PayPal-Request-Id: the same id on the same call is answered with the first answer. */
  async function once(req: Request, path: string, act: (body: Record<string, unknown>) => Response): Promise<Response> {
    const id = req.headers.get("paypal-request-id");
    const key = id ? `${path}\n${id}` : undefined;
    const seen = key ? answered.get(key) : undefined;
    if (seen) return Response.json(seen.body, { status: seen.status });
    const text = await req.text();
    let body: Record<string, unknown>;
    try {
      body = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      return error(400, "INVALID_REQUEST", "MALFORMED_REQUEST_JSON");
    }
    const res = act(body);
    if (key && res.status < 500) answered.set(key, { status: res.status, body: await res.clone().json() });
    return res;
  }

  function checkoutPage(o: PaypalOrder): Response {
    const unit = o.purchase_units[0]!;
    const hidden = `<input type="hidden" name="token" value="${esc(o.id)}">`;
    const buttons =
      o.status === "PAYER_ACTION_REQUIRED"
        ? `<p>Logged in as <strong>sb-buyer@personal.example.com</strong> (sandbox buyer)</p>
<form method="post" action="checkoutnow/approve" style="display:inline">${hidden}<button>Pay Now</button></form>
<form method="post" action="checkoutnow/cancel" style="display:inline">${hidden}<button>Cancel and return</button></form>`
        : `<p>This order is <strong>${esc(o.status)}</strong>.</p>`;
    return htmlPage(
      200,
      "PayPal (sandbox)",
      `<p>${esc(unit.description ?? "")}</p><p class="amount">${esc(`${unit.amount.value} ${unit.amount.currency_code}`)}</p>${buttons}`,
    );
  }

  async function approve(orderId: string): Promise<NotifyDelivery> {
    const o = orders.get(orderId);
    if (!o || o.status !== "PAYER_ACTION_REQUIRED") throw new Error(`PayPal order ${orderId} cannot be approved`);
    o.status = "APPROVED";
    o.payerId = paypalId().slice(0, 13);
    const { returnUrl: _r, cancelUrl: _c, payerId: _p, ...resource } = o;
    return send(
      event("CHECKOUT.ORDER.APPROVED", "checkout-order", { ...resource, links: orderLinks(o) }, "An order has been approved by buyer"),
    );
  }

  async function checkout(req: Request, verb: string): Promise<Response> {
    const id = new URLSearchParams(await req.text()).get("token") ?? "";
    const o = orders.get(id);
    if (!o || o.status !== "PAYER_ACTION_REQUIRED")
      return htmlPage(409, "PayPal (sandbox)", "<p>This order can no longer be approved.</p>");
    const back = new URL(verb === "approve" ? o.returnUrl : o.cancelUrl);
    back.searchParams.set("token", o.id);
    if (verb === "approve") {
      await approve(o.id);
      back.searchParams.set("PayerID", o.payerId ?? "");
    }
    return Response.redirect(back.toString(), 303);
  }

  async function handle(req: Request, path: string): Promise<Response> {
    const url = new URL(req.url);
    if (path === "/checkoutnow" && req.method === "GET") {
      const o = orders.get(url.searchParams.get("token") ?? "");
      return o ? checkoutPage(o) : htmlPage(404, "PayPal (sandbox)", "<p>No such order.</p>");
    }
    const verb = /^\/checkoutnow\/(approve|cancel)$/.exec(path)?.[1];
    if (verb && req.method === "POST") return checkout(req, verb);
    if (path.startsWith("/v1/notifications/certs/") && req.method === "GET") {
      const k = keys();
      if (path.slice("/v1/notifications/certs/".length) !== k.certId) return error(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID");
      return new Response(k.certificate, { headers: { "content-type": "application/x-pem-file" } });
    }
    if (path === "/v1/oauth2/token" && req.method === "POST") return token(req);
    if (!authorised(req))
      return Response.json({ error: "invalid_token", error_description: "Token signature verification failed" }, { status: 401 });
    if (path === "/v2/checkout/orders" && req.method === "POST") return once(req, path, createOrder);
    const orderPath = /^\/v2\/checkout\/orders\/([0-9A-Z]+)(\/capture)?$/.exec(path);
    if (orderPath) {
      const o = orders.get(orderPath[1] ?? "");
      if (!o) return error(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID");
      if (!orderPath[2] && req.method === "GET") return Response.json(view(o));
      if (orderPath[2] && req.method === "POST") return once(req, path, () => capture(o));
    }
    const refundPath = /^\/v2\/payments\/captures\/([0-9A-Z]+)\/refund$/.exec(path);
    if (refundPath && req.method === "POST") return once(req, path, (body) => refund(refundPath[1] ?? "", body));
    return error(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID", `no ${req.method} ${path}`);
  }

  return {
    handle,
    approve,
    order: (id) => orders.get(id),
    orderFor: (outTradeNo) => [...orders.values()].find((o) => o.purchase_units[0]?.custom_id === outTradeNo),
    events,
    async redeliver(eventId) {
      const e = events.find((x) => x.id === eventId);
      if (!e) throw new Error(`no PayPal event ${eventId}`);
      return send(e);
    },
    async idle() {
      while (background.size > 0) await Promise.allSettled([...background]);
    },
  };
}
