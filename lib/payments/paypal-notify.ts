import { X509Certificate } from "node:crypto";
import { z } from "zod";
import { transmissionOf, transmissionVerifies, valueToMinor, type HeaderBag } from "./paypal-wire";
import { NotifyRejected, type NotifyEvent } from "./types";

/**
 * A PayPal webhook, verified offline the way PayPal's own SDKs do (the certificate-based check):
 * the certificate named by PAYPAL-CERT-URL, fetched only from PayPal's API host (or the configured
 * one: the sandbox stand-in), must be valid now, and its key must have signed
 * `transmission_id|time|OUR webhook_id|crc32(body)`. A message meant for another webhook, a forged
 * or altered one, or one whose certificate lives elsewhere changes nothing.
 */
export interface PaypalWebhookOptions {
  webhookId: string;
  apiBase: string;
  fetchCert?: (url: string) => Promise<string>;
  clock?: () => Date;
}

/** Where a signing certificate may come from: PayPal's hosts over https, or the configured API's own origin. */
export function certUrlAllowed(certUrl: string, apiBase: string): boolean {
  let url: URL;
  let api: URL;
  try {
    url = new URL(certUrl);
    api = new URL(apiBase);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.origin === api.origin) return true;
  const paypalHost = (host: string) => host === "paypal.com" || host.endsWith(".paypal.com");
  return url.protocol === "https:" && paypalHost(url.hostname) && paypalHost(api.hostname);
}

const certs = new Map<string, { cert: X509Certificate; until: number }>();
const CERT_CACHE_MS = 3_600_000;

async function defaultFetchCert(url: string): Promise<string> {
  const res = await fetch(url, { redirect: "error", signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`certificate ${url}: HTTP ${res.status}`);
  return res.text();
}

async function certificate(url: string, o: PaypalWebhookOptions, now: Date): Promise<X509Certificate> {
  const hit = certs.get(url);
  if (hit && hit.until > now.getTime()) return hit.cert;
  const cert = new X509Certificate(await (o.fetchCert ?? defaultFetchCert)(url));
  certs.set(url, { cert, until: now.getTime() + CERT_CACHE_MS });
  return cert;
}

const amountSchema = z.object({ currency_code: z.string().regex(/^[A-Z]{3}$/), value: z.string() });
const eventSchema = z.object({
  id: z.string().min(1),
  event_type: z.string(),
  resource: z.record(z.string(), z.unknown()),
});
const orderSchema = z.object({
  id: z.string().min(1),
  status: z.string(),
  purchase_units: z.array(z.object({ custom_id: z.string().min(1), amount: amountSchema })).min(1),
});
const captureSchema = z.object({
  id: z.string().min(1),
  status: z.string(),
  custom_id: z.string().min(1),
  amount: amountSchema,
});
const refundSchema = z.object({
  id: z.string().min(1),
  status: z.string(),
  custom_id: z.string().min(1),
  invoice_id: z.string().min(1),
  amount: amountSchema,
});

function parsed<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new NotifyRejected("malformed", `${what}: ${r.error.issues[0]?.message ?? "invalid"}`);
  return r.data;
}

const amountOf = (a: z.infer<typeof amountSchema>) => ({ currency: a.currency_code, amountMinor: valueToMinor(a.value, a.currency_code) });

/** The verified event: an approved order (to capture), a completed capture (paid), a refund. */
export async function parsePaypalWebhook(input: { headers: HeaderBag; rawBody: string }, o: PaypalWebhookOptions): Promise<NotifyEvent> {
  const t = transmissionOf(input.headers);
  if (!t) throw new NotifyRejected("malformed", "PAYPAL-* transmission headers missing");
  if (!certUrlAllowed(t.certUrl, o.apiBase)) throw new NotifyRejected("bad_signature", `certificate not on PayPal's host: ${t.certUrl}`);
  const now = o.clock?.() ?? new Date();
  let cert: X509Certificate;
  try {
    cert = await certificate(t.certUrl, o, now);
  } catch (e) {
    throw new NotifyRejected("bad_signature", `certificate unavailable: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (new Date(cert.validFrom) > now || new Date(cert.validTo) < now) throw new NotifyRejected("bad_signature", "certificate expired");
  if (!transmissionVerifies(t, o.webhookId, input.rawBody, cert)) throw new NotifyRejected("bad_signature", "signature does not verify");

  let body: unknown;
  try {
    body = JSON.parse(input.rawBody);
  } catch {
    throw new NotifyRejected("malformed", "body is not JSON");
  }
  const event = parsed(eventSchema, body, "event");
  const base = { gateway: "paypal" as const, eventKey: event.id };
  if (event.event_type === "CHECKOUT.ORDER.APPROVED") {
    const order = parsed(orderSchema, event.resource, "order");
    const unit = order.purchase_units[0]!;
    return { ...base, kind: "approved", outTradeNo: unit.custom_id, gatewayTradeNo: order.id, ...amountOf(unit.amount) };
  }
  if (event.event_type === "PAYMENT.CAPTURE.COMPLETED") {
    const capture = parsed(captureSchema, event.resource, "capture");
    if (capture.status !== "COMPLETED") throw new NotifyRejected("unsupported_event", `capture ${capture.status}`);
    return { ...base, kind: "paid", outTradeNo: capture.custom_id, gatewayTradeNo: capture.id, ...amountOf(capture.amount) };
  }
  if (event.event_type === "PAYMENT.CAPTURE.REFUNDED") {
    const refund = parsed(refundSchema, event.resource, "refund");
    if (refund.status !== "COMPLETED") throw new NotifyRejected("unsupported_event", `refund ${refund.status}`);
    amountOf(refund.amount); // well-formed; the refund it settles is ours, found by its number
    // No order total here: the notice settles the refund it names, on the payment it names.
    return {
      ...base,
      kind: "refund",
      outTradeNo: refund.custom_id,
      gatewayTradeNo: refund.id,
      outRefundNo: refund.invoice_id,
      refundStatus: "succeeded",
    };
  }
  throw new NotifyRejected("unsupported_event", event.event_type);
}
