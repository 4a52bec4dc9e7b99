import { generateKeyPairSync, randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, bookings, notifications, paymentEvents, payments, refunds } from "@/db/schema";
import { cancelBooking } from "@/lib/booking/cancel-booking";
import { createBooking } from "@/lib/booking/create-booking";
import { startPayment } from "@/lib/booking/pay-booking";
import { handlePaymentNotify, reconcileBookingPayments } from "@/lib/booking/payments";
import { setupTestDb } from "@/tests/db";
import { makeCustomer, makeService, makeSlot } from "@/tests/fixtures";
import { serveFetch, type RunningServer } from "@/tests/serve-fetch";
import { signTransmission } from "./paypal-wire";
import { gatewayAccounts } from "./providers";
import { SANDBOX_DATA_DIR, handleSandboxRequest, sandboxGatewayFromEnv } from "./providers";
import { executeRefund } from "./refunds";
import { selfSignedCertificate } from "./sandbox/cert";
import { sandboxPaypalKeys } from "./sandbox/paypal-keys";

// The app's public URL (where the stand-in sends webhooks) and PayPal offered on the stand-in.
const port = vi.hoisted(() => {
  const p = 41000 + Math.floor(Math.random() * 8000);
  process.env.APP_URL = `http://127.0.0.1:${p}`;
  process.env.PAYPAL_SANDBOX = "1";
  process.env.PAYPAL_CURRENCY = "USD";
  process.env.PAYPAL_CNY_RATE = "7.2";
  return p;
});

setupTestDb();

const NOTIFY = "/api/payments/paypal/notify";
let swallow = false;
let server: RunningServer;
let stranger: RunningServer;

beforeAll(async () => {
  server = await serveFetch(async (req) => {
    const path = new URL(req.url).pathname;
    if (path.startsWith("/sandbox-gateway")) return handleSandboxRequest(req);
    const rawBody = await req.text();
    if (swallow) return new Response(null, { status: 200 });
    return handlePaymentNotify("paypal", req.headers, rawBody);
  }, port);
  stranger = await serveFetch(async () => new Response(strangerCert));
});
afterAll(async () => {
  await server.close();
  await stranger.close();
});

const db = () => getDb();
const gateway = () => sandboxGatewayFromEnv();
const paypal = () => gateway().paypal;
const origin = `http://127.0.0.1:${port}`;

const strangerPair = generateKeyPairSync("rsa", { modulusLength: 2048 });
const strangerCert = selfSignedCertificate({ commonName: "evil", organization: "evil", ...strangerPair, now: new Date(), validDays: 30 });

async function pendingBooking(priceFen = 8800, startsAt?: Date) {
  const customer = await makeCustomer(db());
  const service = await makeService(db(), {
    priceFen,
    rules: { minNoticeMin: 0, maxAdvanceDays: 3650, payment: { mode: "full" } },
  });
  const slot = await makeSlot(db(), service, { startsAt });
  const booking = await createBooking({ customerId: customer.id, timeslotId: slot.id });
  return { service, booking, actor: { id: customer.id, role: "customer" as const } };
}
const bookingRow = async (id: string) => (await db().select().from(bookings).where(eq(bookings.id, id)))[0]!;
const paymentRow = async (id: string) => (await db().select().from(payments).where(eq(payments.id, id)))[0]!;
const eventsOf = async (paymentId: string) => db().select().from(paymentEvents).where(eq(paymentEvents.paymentId, paymentId));
const typed = async (bookingId: string, type: string) =>
  (
    await db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.bookingId, bookingId), eq(notifications.type, type)))
  ).length;
const confirmations = async (bookingId: string) =>
  (
    await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, bookingId), eq(auditLog.action, "booking.confirmed")))
  ).length;

/** The buyer's browser: opens the approval page, presses Pay Now, and is sent back to the return URL. */
async function approveInBrowser(payUrl: string): Promise<URL> {
  const page = await fetch(payUrl);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("Pay Now");
  const token = new URL(payUrl).searchParams.get("token") ?? "";
  const res = await fetch(new URL("checkoutnow/approve", payUrl), {
    method: "POST",
    body: new URLSearchParams({ token }),
    redirect: "manual",
  });
  expect(res.status).toBe(303);
  return new URL(res.headers.get("location") ?? "");
}

async function paidBooking(priceFen = 8800, startsAt?: Date) {
  const b = await pendingBooking(priceFen, startsAt);
  const started = await startPayment({ bookingId: b.booking.id, actor: b.actor, provider: "paypal", channel: "page" });
  await approveInBrowser(started.payUrl ?? "");
  await gateway().idle();
  return { ...b, payment: started.payment };
}

describe("PayPal through the sandbox stand-in", () => {
  it("is offered here, beside Alipay and WeChat Pay", () => {
    expect(gatewayAccounts().map((a) => a.name)).toContain("paypal");
  });

  it("order → approve on PayPal → capture → confirmed, charged in USD at the configured rate", async () => {
    const { booking, actor } = await pendingBooking(8800);
    const { payment, payUrl } = await startPayment({ bookingId: booking.id, actor, provider: "paypal", channel: "page" });
    expect(payment).toMatchObject({ provider: "paypal", gateway: "paypal", amountFen: 8800, status: "pending" });
    expect(payUrl).toMatch(new RegExp(`^${origin}/sandbox-gateway/paypal/checkoutnow\\?token=[0-9A-Z]{17}$`));
    const row = await paymentRow(payment.id);
    // 88.00 yuan at 7.2 yuan per dollar: 12.22 USD.
    expect(row).toMatchObject({ currency: "USD", currencyAmount: 1222 });
    const order = paypal().order(row.gatewayOrderId ?? "");
    expect(order?.purchase_units[0]).toMatchObject({ custom_id: payment.outTradeNo, amount: { currency_code: "USD", value: "12.22" } });

    const back = await approveInBrowser(payUrl ?? "");
    expect(`${back.origin}${back.pathname}`).toBe(`${origin}/bookings/${booking.id}/pay`);
    expect(back.searchParams.get("token")).toBe(row.gatewayOrderId);
    await gateway().idle();

    expect((await bookingRow(booking.id)).status).toBe("confirmed");
    const paid = await paymentRow(payment.id);
    const capture = paypal().order(row.gatewayOrderId ?? "")?.purchase_units[0]?.payments?.captures[0];
    expect(paid).toMatchObject({ status: "paid", gatewayTradeNo: capture?.id });
    expect(capture).toMatchObject({ status: "COMPLETED", amount: { value: "12.22", currency_code: "USD" } });
    expect(await confirmations(booking.id)).toBe(1);
    expect(paypal().events.map((e) => e.event_type)).toEqual(
      expect.arrayContaining(["CHECKOUT.ORDER.APPROVED", "PAYMENT.CAPTURE.COMPLETED"]),
    );
  });

  it("the customer's return captures when no webhook arrives (the pay page's poll)", async () => {
    const { booking, actor } = await pendingBooking(9900);
    const { payment, payUrl } = await startPayment({ bookingId: booking.id, actor, provider: "paypal", channel: "page" });
    swallow = true;
    try {
      await approveInBrowser(payUrl ?? "");
    } finally {
      swallow = false;
    }
    expect((await paymentRow(payment.id)).status).toBe("pending");
    await reconcileBookingPayments(db(), booking.id);
    await gateway().idle();
    expect((await bookingRow(booking.id)).status).toBe("confirmed");
    expect(await confirmations(booking.id)).toBe(1);
    // Asked again (a second poll, the job): the capture is not repeated.
    await reconcileBookingPayments(db(), booking.id);
    const order = paypal().orderFor(payment.outTradeNo);
    expect(order?.purchase_units[0]?.payments?.captures).toHaveLength(1);
  });

  it("a redelivered webhook is a no-op: one confirmation, one message", async () => {
    const { booking, payment } = await paidBooking(8802);
    const messages = await typed(booking.id, "payment_received");
    expect(messages).toBeGreaterThan(0);
    const events = await eventsOf(payment.id);
    const sent = paypal().events.filter((e) => e.body.includes(payment.outTradeNo));
    expect(sent.length).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < 3; i++) for (const e of sent) expect((await paypal().redeliver(e.id)).status).toBe(200);
    expect(await eventsOf(payment.id)).toHaveLength(events.length);
    expect(await typed(booking.id, "payment_received")).toBe(messages);
    expect(await confirmations(booking.id)).toBe(1);
    expect((await paymentRow(payment.id)).status).toBe("paid");
  });

  it("cancelling 10 h ahead refunds the 50% tier, converted in proportion to what was captured", async () => {
    const { booking, actor, payment } = await paidBooking(8801, new Date(Date.now() + 10 * 3_600_000));
    const row = await paymentRow(payment.id);
    expect(row.currencyAmount).toBe(1222); // 88.01 yuan at 7.2
    const result = await cancelBooking({ bookingId: booking.id, actor });
    expect(result.refundFen).toBe(4401);
    const [refund] = await db().select().from(refunds).where(eq(refunds.bookingId, booking.id));
    await executeRefund(db(), refund!.id);
    await gateway().idle();
    expect((await db().select().from(refunds).where(eq(refunds.id, refund!.id)))[0]).toMatchObject({ status: "succeeded" });
    expect(await paymentRow(payment.id)).toMatchObject({ status: "partially_refunded", refundedFen: 4401 });
    const order = paypal().order(row.gatewayOrderId ?? "");
    // 4401 / 8801 of 12.22 USD, rounded down: 6.11 USD.
    expect(order?.purchase_units[0]?.payments?.refunds).toEqual([
      expect.objectContaining({ invoice_id: refund!.outRefundNo, amount: { currency_code: "USD", value: "6.11" } }),
    ]);
    expect(order?.purchase_units[0]?.payments?.captures[0]?.status).toBe("PARTIALLY_REFUNDED");
    // The refund's webhook came after the answer, is accepted, and changes nothing more, however often it comes.
    const notice = paypal().events.find((e) => e.event_type === "PAYMENT.CAPTURE.REFUNDED" && e.body.includes(refund!.outRefundNo));
    const told = await typed(booking.id, "refund_issued");
    expect(told).toBeGreaterThan(0);
    expect((await paypal().redeliver(notice?.id ?? "")).status).toBe(200);
    expect((await paypal().redeliver(notice?.id ?? "")).status).toBe(200);
    expect(await typed(booking.id, "refund_issued")).toBe(told);
    expect(await paymentRow(payment.id)).toMatchObject({ status: "partially_refunded", refundedFen: 4401 });
  });

  it("a full refund returns exactly what was captured", async () => {
    const { booking, actor, payment } = await paidBooking(8803, new Date(Date.now() + 72 * 3_600_000));
    const result = await cancelBooking({ bookingId: booking.id, actor });
    expect(result.refundFen).toBe(8803);
    const [refund] = await db().select().from(refunds).where(eq(refunds.bookingId, booking.id));
    await executeRefund(db(), refund!.id);
    await gateway().idle();
    expect(await paymentRow(payment.id)).toMatchObject({ status: "refunded", refundedFen: 8803 });
    const order = paypal().orderFor(payment.outTradeNo);
    expect(order?.purchase_units[0]?.payments?.refunds[0]?.amount.value).toBe("12.23");
    expect(order?.purchase_units[0]?.payments?.captures[0]?.status).toBe("REFUNDED");
  });
});

describe("forged PayPal webhooks change nothing", () => {
  /** A pending payment and the body of a "capture completed" event for it, as PayPal would word it. */
  async function target() {
    const { booking, actor } = await pendingBooking(8804);
    const { payment } = await startPayment({ bookingId: booking.id, actor, provider: "paypal", channel: "page" });
    const row = await paymentRow(payment.id);
    const body = JSON.stringify({
      id: `WH-${randomUUID()}`,
      event_type: "PAYMENT.CAPTURE.COMPLETED",
      resource_type: "capture",
      resource: {
        id: "FORGED0000000001",
        status: "COMPLETED",
        custom_id: payment.outTradeNo,
        amount: { currency_code: "USD", value: "12.23" },
      },
    });
    expect(row.currencyAmount).toBe(1223);
    return { booking, payment, body };
  }

  const post = (body: string, headers: Record<string, string>) =>
    fetch(`${origin}${NOTIFY}`, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });

  function signed(body: string, o: { key?: string; certUrl?: string; webhookId?: string; algo?: string } = {}) {
    const keys = sandboxPaypalKeys(SANDBOX_DATA_DIR);
    const id = randomUUID();
    const time = new Date().toISOString();
    return {
      "paypal-transmission-id": id,
      "paypal-transmission-time": time,
      "paypal-transmission-sig": signTransmission(o.key ?? keys.signingKey, id, time, o.webhookId ?? keys.webhookId, body),
      "paypal-cert-url": o.certUrl ?? `${origin}/sandbox-gateway/paypal/v1/notifications/certs/${keys.certId}`,
      "paypal-auth-algo": o.algo ?? "SHA256withRSA",
    };
  }

  it("the control: the same message signed by the stand-in confirms", async () => {
    const { booking, body } = await target();
    expect((await post(body, signed(body))).status).toBe(200);
    expect((await bookingRow(booking.id)).status).toBe("confirmed");
  });

  it.each([
    ["signed by another key, its certificate on another host", () => ({ key: strangerPem, certUrl: `${stranger.origin}/cert.pem` })],
    ["signed by another key, naming PayPal's certificate", () => ({ key: strangerPem })],
    ["signed for another webhook", () => ({ webhookId: "WH-SOMEONE-ELSE" })],
    ["with another algorithm named", () => ({ algo: "SHA1withRSA" })],
  ])("%s", async (_name, options) => {
    const { booking, payment, body } = await target();
    const res = await post(body, signed(body, options()));
    expect(res.status).toBe(400);
    expect((await bookingRow(booking.id)).status).toBe("pending_payment");
    expect((await paymentRow(payment.id)).status).toBe("pending");
    expect(await eventsOf(payment.id)).toHaveLength(0);
  });

  it("a genuine signature over a different body, or no signature at all", async () => {
    const { booking, payment, body } = await target();
    const headers = signed(body);
    expect((await post(body.replace("12.23", "12.24"), headers)).status).toBe(400);
    expect((await post(body, {})).status).toBe(400);
    expect((await bookingRow(booking.id)).status).toBe("pending_payment");
    expect(await eventsOf(payment.id)).toHaveLength(0);
  });

  it("a verified capture of another amount is refused", async () => {
    const { booking, payment, body } = await target();
    const cheaper = body.replace("12.23", "0.01");
    expect((await post(cheaper, signed(cheaper))).status).toBe(400);
    expect((await bookingRow(booking.id)).status).toBe("pending_payment");
    expect(await eventsOf(payment.id)).toHaveLength(0);
  });
});

const strangerPem = strangerPair.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
