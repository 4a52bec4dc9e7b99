import { generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { crc32 } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, tradeNo, type Harness } from "@/tests/payment-harness";
import { createPaypalProvider } from "./paypal";
import { sandboxPaypalConfig } from "./sandbox/paypal-keys";
import { certUrlAllowed, parsePaypalWebhook } from "./paypal-notify";
import { fenToMinor, minorToValue, partOfMinor, signedString, signTransmission, valueToMinor } from "./paypal-wire";
import { selfSignedCertificate } from "./sandbox/cert";
import { NotifyRejected } from "./types";
import { env, type Env } from "@/lib/env";
import { gatewayAccounts, getProvider, paymentConfigFromEnv, PaymentConfigError } from "./providers";

const pair = () => generateKeyPairSync("rsa", { modulusLength: 2048 });
const paypal = pair();
const NOW = new Date("2026-12-03T12:00:00Z");
const cert = (k = paypal, now = NOW, validDays = 365) =>
  selfSignedCertificate({ commonName: "messageverificationcerts.paypal.com", organization: "PayPal", ...k, now, validDays });

const API = "https://api-m.paypal.com";
const CERT_URL = "https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-1d93a270";
const WEBHOOK = "1JE4291016473214C";

const body = JSON.stringify({
  id: "WH-58D329510W468432D-8HN650336L201105X",
  event_type: "PAYMENT.CAPTURE.COMPLETED",
  resource: {
    id: "42311647XV020574X",
    status: "COMPLETED",
    custom_id: "YYP20261203120000ABCDEFGHJK",
    amount: { currency_code: "USD", value: "12.22" },
  },
});

function headers(
  o: { key?: ReturnType<typeof pair>["privateKey"]; webhookId?: string; certUrl?: string; algo?: string; raw?: string } = {},
) {
  const id = randomUUID();
  const time = NOW.toISOString();
  return {
    "PAYPAL-TRANSMISSION-ID": id,
    "PAYPAL-TRANSMISSION-TIME": time,
    "PAYPAL-TRANSMISSION-SIG": signTransmission(o.key ?? paypal.privateKey, id, time, o.webhookId ?? WEBHOOK, o.raw ?? body),
    "PAYPAL-CERT-URL": o.certUrl ?? CERT_URL,
    "PAYPAL-AUTH-ALGO": o.algo ?? "SHA256withRSA",
  };
}

const fetched: string[] = [];
const verify = (h: Record<string, string>, raw = body, pem = cert()) =>
  parsePaypalWebhook(
    { headers: h, rawBody: raw },
    {
      webhookId: WEBHOOK,
      apiBase: API,
      clock: () => NOW,
      fetchCert: async (url) => {
        fetched.push(url);
        return pem;
      },
    },
  );
const reason = async (p: Promise<unknown>) => {
  const e = await p.catch((x: unknown) => x);
  expect(e).toBeInstanceOf(NotifyRejected);
  return (e as NotifyRejected).reason;
};

describe("PayPal webhook signature (certificate-based check)", () => {
  it("signs transmission id, time, webhook id and the body's CRC32, as PayPal documents", () => {
    expect(signedString("t-1", "2026-12-03T12:00:00Z", WEBHOOK, body)).toBe(`t-1|2026-12-03T12:00:00Z|${WEBHOOK}|${crc32(body) >>> 0}`);
  });

  it("accepts a message signed by the certificate's key for our webhook", async () => {
    const event = await verify(headers());
    expect(event).toMatchObject({ kind: "paid", gatewayTradeNo: "42311647XV020574X", currency: "USD", amountMinor: 1222 });
    expect(event.eventKey).toBe("WH-58D329510W468432D-8HN650336L201105X");
  });

  it("refuses another key, another webhook, another algorithm, an altered body, missing headers", async () => {
    expect(await reason(verify(headers({ key: pair().privateKey })))).toBe("bad_signature");
    expect(await reason(verify(headers({ webhookId: "WH-OTHER" })))).toBe("bad_signature");
    expect(await reason(verify(headers({ algo: "SHA1withRSA" })))).toBe("bad_signature");
    expect(await reason(verify(headers(), body.replace("12.22", "12.23")))).toBe("bad_signature");
    const partial: Record<string, string> = headers();
    delete partial["PAYPAL-TRANSMISSION-SIG"];
    expect(await reason(verify(partial))).toBe("malformed");
  });

  it("never fetches a certificate from a host that is not PayPal's", async () => {
    fetched.length = 0;
    for (const certUrl of [
      "https://evil.example/cert.pem",
      "http://api.paypal.com/cert",
      "https://api.paypal.com.evil.example/c",
      "https://u:p@api.paypal.com/c",
    ]) {
      expect(await reason(verify(headers({ certUrl })))).toBe("bad_signature");
    }
    expect(fetched).toEqual([]);
  });

  it("refuses a certificate out of its validity", async () => {
    const old = cert(paypal, new Date("2020-01-01T00:00:00Z"), 30);
    const url = `${CERT_URL}-old`;
    expect(await reason(verify(headers({ certUrl: url }), body, old))).toBe("bad_signature");
  });

  it("allows the configured API's own origin (the stand-in) and PayPal's hosts only with a PayPal API", () => {
    expect(
      certUrlAllowed(
        "http://127.0.0.1:3000/sandbox-gateway/paypal/v1/notifications/certs/C",
        "http://127.0.0.1:3000/sandbox-gateway/paypal",
      ),
    ).toBe(true);
    expect(certUrlAllowed(CERT_URL, "http://127.0.0.1:3000/sandbox-gateway/paypal")).toBe(false);
    expect(certUrlAllowed(CERT_URL, "https://api-m.sandbox.paypal.com")).toBe(true);
    expect(certUrlAllowed("http://127.0.0.1:4000/c", "http://127.0.0.1:3000/x")).toBe(false);
  });

  it("reads an approved order and a refund; refuses other event types", async () => {
    const approved = JSON.stringify({
      id: "WH-1",
      event_type: "CHECKOUT.ORDER.APPROVED",
      resource: {
        id: "5O190127TN364715T",
        status: "APPROVED",
        purchase_units: [{ custom_id: "YYP1", amount: { currency_code: "USD", value: "1.00" } }],
      },
    });
    expect(await verify(headers({ raw: approved }), approved)).toMatchObject({ kind: "approved", outTradeNo: "YYP1", amountMinor: 100 });
    const refunded = JSON.stringify({
      id: "WH-2",
      event_type: "PAYMENT.CAPTURE.REFUNDED",
      resource: {
        id: "1JU08902781691411",
        status: "COMPLETED",
        custom_id: "YYP1",
        invoice_id: "YYR1",
        amount: { currency_code: "USD", value: "0.50" },
      },
    });
    expect(await verify(headers({ raw: refunded }), refunded)).toMatchObject({
      kind: "refund",
      outRefundNo: "YYR1",
      refundStatus: "succeeded",
    });
    const other = JSON.stringify({ id: "WH-3", event_type: "BILLING.PLAN.CREATED", resource: {} });
    expect(await reason(verify(headers({ raw: other }), other))).toBe("unsupported_event");
  });
});

describe("PayPal amounts", () => {
  it("converts fen at the configured rate, half up, in integers", () => {
    expect(fenToMinor(8800, "USD", "7.2")).toBe(1222); // 12.2222…
    expect(fenToMinor(8801, "USD", "7.2")).toBe(1222);
    expect(fenToMinor(8803, "USD", "7.2")).toBe(1223);
    expect(fenToMinor(36, "USD", "7.2")).toBe(5); // 0.05 exactly
    expect(fenToMinor(1, "USD", "7.2")).toBe(1); // never below one cent
    expect(fenToMinor(8800, "JPY", "0.048")).toBe(1833);
    expect(fenToMinor(8800, "CNY", "1")).toBe(8800);
  });

  it("refund parts are in proportion, rounded down; the whole is exact", () => {
    expect(partOfMinor(4401, 8801, 1222)).toBe(611);
    expect(partOfMinor(8801, 8801, 1222)).toBe(1222);
    expect(partOfMinor(4400, 8801, 1222) + partOfMinor(4401, 8801, 1222)).toBeLessThanOrEqual(1222);
  });

  it("writes and reads PayPal's decimal strings without floats", () => {
    expect(minorToValue(1222, "USD")).toBe("12.22");
    expect(minorToValue(5, "USD")).toBe("0.05");
    expect(minorToValue(1833, "JPY")).toBe("1833");
    expect(valueToMinor("12.2", "USD")).toBe(1220);
    expect(valueToMinor("0.29", "USD")).toBe(29);
    for (const bad of ["1.234", "-1.00", "1e3", " 1.00", "", 12]) expect(() => valueToMinor(bad, "USD")).toThrow();
    expect(() => valueToMinor("1.5", "JPY")).toThrow();
  });
});

describe("PayPal from the environment", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "yuyue-paypal-"));
  const base: Env = {
    ...env,
    NODE_ENV: "test",
    PAYPAL_CLIENT_ID: undefined,
    PAYPAL_CLIENT_SECRET: undefined,
    PAYPAL_WEBHOOK_ID: undefined,
    PAYPAL_SANDBOX: undefined,
    PAYPAL_CURRENCY: undefined,
    PAYPAL_CNY_RATE: undefined,
  };
  const config = (over: Partial<Env>) =>
    paymentConfigFromEnv("http://127.0.0.1:3999", { env: { ...base, ...over }, sandboxDataDir: dataDir });
  const keys = { PAYPAL_CLIENT_ID: "id", PAYPAL_CLIENT_SECRET: "secret", PAYPAL_WEBHOOK_ID: "WH-1" };

  it("is hidden unless configured", () => {
    expect(config({}).paypal).toBeUndefined();
    expect(gatewayAccounts(base).map((a) => a.name)).not.toContain("paypal");
    expect(() => getProvider("paypal", config({}))).toThrow(PaymentConfigError);
  });

  it("runs on the stand-in when asked for, never in production unless the sandbox is enabled", () => {
    const sandbox = config({ PAYPAL_SANDBOX: "1" });
    expect(sandbox.source.paypal).toBe("sandbox");
    expect(sandbox.paypal).toMatchObject({ apiBase: "http://127.0.0.1:3999/sandbox-gateway/paypal", currency: "USD", cnyPerUnit: "7.2" });
    expect(gatewayAccounts({ ...base, PAYPAL_SANDBOX: "1" }).map((a) => a.name)).toContain("paypal");
    expect(gatewayAccounts({ ...base, PAYPAL_SANDBOX: "1", NODE_ENV: "production" }).map((a) => a.name)).not.toContain("paypal");
  });

  it("uses live keys when all are set; refuses half of them, or a foreign currency without a rate", () => {
    const live = config({ ...keys, PAYPAL_CNY_RATE: "7.1", PAYPAL_CURRENCY: "eur" });
    expect(live.source.paypal).toBe("env");
    expect(live.paypal).toMatchObject({ clientId: "id", webhookId: "WH-1", currency: "EUR", cnyPerUnit: "7.1" });
    expect(live.paypal?.apiBase).toBeUndefined();
    expect(getProvider("paypal", live).name).toBe("paypal");
    expect(() => config({ ...keys, PAYPAL_WEBHOOK_ID: undefined })).toThrow(/PAYPAL_WEBHOOK_ID/);
    expect(() => config(keys)).toThrow(/PAYPAL_CNY_RATE/);
    expect(config({ ...keys, PAYPAL_CURRENCY: "CNY" }).paypal).toMatchObject({ currency: "CNY" });
  });
});

describe("the provider against the PayPal stand-in", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  const provider = () => createPaypalProvider(sandboxPaypalConfig(h.dataDir, `${h.sandboxOrigin}/sandbox-gateway`));

  async function captured(amountFen: number) {
    const p = provider();
    const outTradeNo = tradeNo("P");
    const made = await p.createOrder({
      outTradeNo,
      amountFen,
      subject: "推拿 60 分钟",
      channel: "page",
      notifyUrl: h.notifyUrl("/n"),
      returnUrl: h.notifyUrl("/back"),
    });
    const order = made.gatewayOrder!;
    await h.gateway.paypal.approve(order.orderId);
    const q = await p.query(outTradeNo, order);
    return { p, outTradeNo, made, order: { ...order, captureId: q.gatewayTradeNo }, q };
  }

  it("the same trade number makes one order (PayPal-Request-Id); unapproved is pending; approved is captured once", async () => {
    const p = provider();
    const outTradeNo = tradeNo("P");
    const input = {
      outTradeNo,
      amountFen: 8800,
      subject: "x",
      channel: "qr" as const,
      notifyUrl: h.notifyUrl("/n"),
      returnUrl: h.notifyUrl("/b"),
    };
    const a = await p.createOrder(input);
    const b = await p.createOrder(input);
    expect(b.gatewayOrder).toEqual(a.gatewayOrder);
    expect(a.codeUrl).toBe(a.payUrl);
    expect(a.gatewayOrder).toMatchObject({ currency: "USD", amountMinor: 1222 });
    expect(await p.query(outTradeNo, a.gatewayOrder)).toEqual({ status: "pending" });
    await p.close(outTradeNo, a.gatewayOrder); // nothing to cancel at PayPal
    await h.gateway.paypal.approve(a.gatewayOrder!.orderId);
    const first = await p.query(outTradeNo, a.gatewayOrder);
    expect(first).toMatchObject({ status: "paid", currency: "USD", amountMinor: 1222 });
    expect(await p.query(outTradeNo, a.gatewayOrder)).toEqual(first);
    expect(h.gateway.paypal.order(a.gatewayOrder!.orderId)?.purchase_units[0]?.payments?.captures).toHaveLength(1);
    await expect(p.close(outTradeNo, a.gatewayOrder)).rejects.toMatchObject({ code: "ALREADY_PAID" });
  });

  it("refunds are idempotent per refund number, never exceed the capture, and are found by it", async () => {
    const { p, outTradeNo, order } = await captured(8801);
    const refund = (outRefundNo: string, amountFen: number) =>
      p.refund({ outTradeNo, outRefundNo, amountFen, totalFen: 8801, reason: "cancelled", order });
    const r1 = await refund("R0000001", 4401);
    expect(r1).toMatchObject({ status: "succeeded", gatewayStatus: "COMPLETED" });
    expect(await refund("R0000001", 4401)).toEqual(r1);
    expect(await p.queryRefund({ outTradeNo, outRefundNo: "R0000001", order })).toMatchObject({
      status: "succeeded",
      gatewayRefundId: r1.gatewayRefundId,
    });
    expect(await p.queryRefund({ outTradeNo, outRefundNo: "R0000009", order })).toMatchObject({ status: "not_found" });
    // 611 of 1222 cents gone; the whole amount again is more than is left.
    await expect(refund("R0000002", 8801)).rejects.toMatchObject({ code: "REFUND_FAILED", gatewayCode: "REFUND_AMOUNT_EXCEEDED" });
    expect(await refund("R0000003", 4400)).toMatchObject({ status: "succeeded" });
    const refunds = h.gateway.paypal.order(order.orderId)?.purchase_units[0]?.payments?.refunds ?? [];
    expect(refunds.map((r) => r.amount.value)).toEqual(["6.11", "6.10"]);
  });

  it("refuses wrong client credentials", async () => {
    const p = createPaypalProvider({ ...sandboxPaypalConfig(h.dataDir, `${h.sandboxOrigin}/sandbox-gateway`), clientSecret: "nope" });
    await expect(
      p.createOrder({ outTradeNo: tradeNo("P"), amountFen: 100, subject: "x", channel: "page", notifyUrl: h.notifyUrl("/n") }),
    ).rejects.toMatchObject({
      code: "GATEWAY_ERROR",
    });
  });
});
