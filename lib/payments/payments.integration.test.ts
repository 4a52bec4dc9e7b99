import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, bookings, notifications, paymentEvents, payments, refunds, timeslots } from "@/db/schema";
import { cancelBooking } from "@/lib/booking/cancel-booking";
import { createBooking } from "@/lib/booking/create-booking";
import { expireHolds } from "@/lib/booking/expire-holds";
import { startPayment } from "@/lib/booking/pay-booking";
import { closeBookingOrders, handlePaymentNotify, reconcileBookingPayments } from "@/lib/booking/payments";
import { setupTestDb } from "@/tests/db";
import { makeCustomer, makeService, makeSlot } from "@/tests/fixtures";
import { parseForm, signAlipayNotify } from "./alipay-wire";
import { SANDBOX_DATA_DIR, handleSandboxRequest, sandboxGatewayFromEnv } from "./providers";
import { executeRefund } from "./refunds";
import { startPaymentOrder } from "./start-payment";
import { startWorkers, stopWorkers } from "@/lib/jobs/worker";
import { closeOrdersJob } from "@/lib/booking/jobs";
import { sandboxKeys } from "./sandbox/keys";
import { wechatSignedHeaders } from "./sandbox/notify";
import { serveFetch, type RunningServer } from "@/tests/serve-fetch";
import { strangerKeys } from "@/tests/payment-harness";
import { encryptResource } from "./wechat-wire";

// The app's public URL is where the gateway sends notifies: a local server standing in for it.
const port = vi.hoisted(() => {
  const p = 41000 + Math.floor(Math.random() * 8000);
  process.env.APP_URL = `http://127.0.0.1:${p}`;
  return p;
});

setupTestDb();

/** Notifies the gateway sent; with `swallow` on, they are recorded but never reach the app (a lost notify). */
const received: { gateway: "alipay" | "wechat"; headers: Headers; rawBody: string }[] = [];
let swallow = false;
let server: RunningServer;

beforeAll(async () => {
  server = await serveFetch(async (req) => {
    const path = new URL(req.url).pathname;
    if (path.startsWith("/sandbox-gateway")) return handleSandboxRequest(req);
    const gateway = path.includes("/wechat/") ? "wechat" : "alipay";
    const rawBody = await req.text();
    received.push({ gateway, headers: req.headers, rawBody });
    if (swallow) return new Response("success");
    return handlePaymentNotify(gateway, req.headers, rawBody);
  }, port);
});
afterAll(() => server.close());

const db = () => getDb();

/** The buyer pays, but the gateway's notify never reaches the app. */
async function approveWithLostNotify(outTradeNo: string) {
  swallow = true;
  try {
    await gateway().approve(outTradeNo);
  } finally {
    swallow = false;
  }
}
const gateway = () => sandboxGatewayFromEnv();
const keys = () => sandboxKeys(SANDBOX_DATA_DIR);

async function pendingBooking(priceFen = 8800, startsAt?: Date, capacity = 1) {
  const customer = await makeCustomer(db());
  const service = await makeService(db(), {
    priceFen,
    capacity,
    kind: capacity > 1 ? "class" : "appointment",
    rules: { minNoticeMin: 0, maxAdvanceDays: 3650, payment: { mode: "full" } },
  });
  const slot = await makeSlot(db(), service, { startsAt });
  const booking = await createBooking({ customerId: customer.id, timeslotId: slot.id });
  return { customer, service, slot, booking, actor: { id: customer.id, role: "customer" as const } };
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

describe.each(["alipay", "wechat"] as const)("%s end to end through the sandbox", (provider) => {
  it("a verified paid notice confirms the booking once, however often it is redelivered", async () => {
    const { booking, actor } = await pendingBooking(8801);
    const { payment, codeUrl } = await startPayment({ bookingId: booking.id, actor, provider, channel: "qr" });
    expect(codeUrl).toBeTruthy();
    expect(payment).toMatchObject({ amountFen: 8801, status: "pending", gateway: provider });
    await gateway().approve(payment.outTradeNo);
    expect((await bookingRow(booking.id)).status).toBe("confirmed");
    const messages = await typed(booking.id, "payment_received");
    expect(messages).toBeGreaterThan(0);
    for (let i = 0; i < 10; i++) expect((await gateway().redeliver(payment.outTradeNo)).status).toBeLessThan(300);
    expect(await eventsOf(payment.id)).toHaveLength(1);
    expect(await typed(booking.id, "payment_received")).toBe(messages);
    const confirmations = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, booking.id), eq(auditLog.action, "booking.confirmed")));
    expect(confirmations).toHaveLength(1);
    expect((await paymentRow(payment.id)).status).toBe("paid");
  });

  it("the notice kept in payment_events is sealed: the raw column holds ciphertext, the code reads it back", async () => {
    const { booking, actor } = await pendingBooking(8802);
    const { payment } = await startPayment({ bookingId: booking.id, actor, provider, channel: "qr" });
    await gateway().approve(payment.outTradeNo);
    const [event] = await eventsOf(payment.id);
    expect(event?.payload).toMatchObject({ outTradeNo: payment.outTradeNo, amountFen: 8802 });
    const raw = await db().execute(sql`select payload::text as p from payment_events where payment_id = ${payment.id}`);
    const stored = (((raw as unknown as { rows?: unknown[] }).rows ?? (raw as unknown as unknown[]))[0] as { p: string }).p;
    expect(stored).toMatch(/^\{"pii1": "pii1:/);
    expect(stored).not.toContain(payment.outTradeNo);
    // the buyer's gateway identity is not in it even once opened
    expect(JSON.stringify(event?.payload)).not.toMatch(/buyer|openid|san\*\*\*@/);
  });

  it("the query job confirms a booking whose notify never came", async () => {
    const { booking, actor } = await pendingBooking();
    const { payment } = await startPayment({ bookingId: booking.id, actor, provider });
    await approveWithLostNotify(payment.outTradeNo);
    expect((await bookingRow(booking.id)).status).toBe("pending_payment");
    await reconcileBookingPayments(db(), booking.id);
    expect((await bookingRow(booking.id)).status).toBe("confirmed");
    expect((await paymentRow(payment.id)).status).toBe("paid");
  });

  it("expiry closes the gateway order and frees the seat; a late paid notice re-takes a free seat", async () => {
    const { booking, actor, slot } = await pendingBooking();
    const { payment } = await startPayment({ bookingId: booking.id, actor, provider });
    await expireHolds(new Date(Date.now() + 16 * 60_000));
    expect((await bookingRow(booking.id)).status).toBe("expired");
    expect((await db().select().from(timeslots).where(eq(timeslots.id, slot.id)))[0]!.bookedCount).toBe(0);
    // The buyer pays before the close reaches the gateway.
    await gateway().approve(payment.outTradeNo);
    expect((await bookingRow(booking.id)).status).toBe("confirmed");
    expect((await db().select().from(timeslots).where(eq(timeslots.id, slot.id)))[0]!.bookedCount).toBe(1);

    const other = await pendingBooking();
    const second = await startPayment({ bookingId: other.booking.id, actor: other.actor, provider });
    await expireHolds(new Date(Date.now() + 16 * 60_000));
    await closeBookingOrders(db(), other.booking.id);
    expect((await paymentRow(second.payment.id)).status).toBe("closed");
    expect(gateway().order(second.payment.outTradeNo)?.status).toBe("closed");
  });

  it("a new order supersedes the open one (closed at the gateway and in the ledger); paying closes any left open", async () => {
    const { booking, actor } = await pendingBooking(8802);
    const first = await startPayment({ bookingId: booking.id, actor, provider });
    const second = await startPayment({ bookingId: booking.id, actor, provider });
    expect((await paymentRow(first.payment.id)).status).toBe("closed");
    expect(gateway().order(first.payment.outTradeNo)?.status).toBe("closed");
    expect((await paymentRow(second.payment.id)).status).toBe("pending");
    // An order made beside the booker's flow (its close never ran) is closed once another one is paid.
    const stray = await startPaymentOrder(db(), {
      bookingId: booking.id,
      amountFen: 8802,
      subject: "stray",
      returnPath: "/",
      actorId: actor.id,
      provider,
    });
    await gateway().approve(second.payment.outTradeNo);
    expect((await bookingRow(booking.id)).status).toBe("confirmed");
    // The confirmation enqueued the close in its own transaction; the worker runs it.
    await startWorkers({ queues: [closeOrdersJob.name], pollingIntervalSeconds: 0.5 });
    try {
      await vi.waitFor(async () => expect((await paymentRow(stray.payment.id)).status).toBe("closed"), { timeout: 15_000, interval: 200 });
    } finally {
      await stopWorkers();
    }
    expect(gateway().order(stray.payment.outTradeNo)?.status).toBe("closed");
    const open = await db()
      .select()
      .from(payments)
      .where(and(eq(payments.bookingId, booking.id), eq(payments.status, "pending")));
    expect(open).toHaveLength(0);
  });

  it("an earlier order paid meanwhile is applied when a new one is asked for: already paid, no new order", async () => {
    const { booking, actor } = await pendingBooking(8803);
    const first = await startPayment({ bookingId: booking.id, actor, provider });
    await approveWithLostNotify(first.payment.outTradeNo);
    await expect(startPayment({ bookingId: booking.id, actor, provider })).rejects.toMatchObject({ code: "ALREADY_PAID" });
    expect((await bookingRow(booking.id)).status).toBe("confirmed");
    expect(await db().select().from(payments).where(eq(payments.bookingId, booking.id))).toHaveLength(1);
  });

  it("a late paid notice for a seat someone else took is refunded automatically", async () => {
    const { booking, actor, slot, service } = await pendingBooking();
    const { payment } = await startPayment({ bookingId: booking.id, actor, provider });
    await expireHolds(new Date(Date.now() + 16 * 60_000));
    await createBooking({ customerId: (await makeCustomer(db())).id, timeslotId: slot.id });
    await gateway().approve(payment.outTradeNo);
    expect((await bookingRow(booking.id)).status).toBe("expired");
    const [refund] = await db().select().from(refunds).where(eq(refunds.paymentId, payment.id));
    expect(refund).toMatchObject({ amountFen: service.priceFen, status: "pending" });
    await executeRefund(db(), refund!.id);
    await gateway().idle();
    expect((await db().select().from(refunds).where(eq(refunds.id, refund!.id)))[0]!.status).toBe("succeeded");
    expect(await paymentRow(payment.id)).toMatchObject({ status: "refunded", refundedFen: service.priceFen });
    expect(await typed(booking.id, "refund_issued")).toBeGreaterThan(0);
  });

  it("cancelling 10 h ahead refunds the 50% tier through the gateway", async () => {
    const { booking, actor } = await pendingBooking(8801, new Date(Date.now() + 10 * 3_600_000));
    const { payment } = await startPayment({ bookingId: booking.id, actor, provider });
    await gateway().approve(payment.outTradeNo);
    const result = await cancelBooking({ bookingId: booking.id, actor });
    expect(result.refundFen).toBe(4401);
    const [refund] = await db().select().from(refunds).where(eq(refunds.bookingId, booking.id));
    expect(refund).toMatchObject({ amountFen: 4401, status: "pending" });
    await executeRefund(db(), refund!.id);
    await gateway().idle();
    // Alipay answers the refund at once; WeChat says PROCESSING and confirms by a verified refund notify.
    expect((await db().select().from(refunds).where(eq(refunds.id, refund!.id)))[0]!.status).toBe("succeeded");
    expect(await paymentRow(payment.id)).toMatchObject({ status: "partially_refunded", refundedFen: 4401 });
  });
});

describe("forged and mismatched notices change nothing", () => {
  async function captured(provider: "alipay" | "wechat") {
    const { booking, actor } = await pendingBooking(8800);
    const { payment } = await startPayment({ bookingId: booking.id, actor, provider });
    await approveWithLostNotify(payment.outTradeNo);
    return { booking, payment, msg: received.filter((r) => r.gateway === provider).at(-1)! };
  }
  const unchanged = async (bookingId: string, paymentId: string) => {
    expect((await bookingRow(bookingId)).status).toBe("pending_payment");
    expect((await paymentRow(paymentId)).status).toBe("pending");
    expect(await eventsOf(paymentId)).toHaveLength(0);
  };

  it("Alipay: wrong key, tampered field, amount mismatch, unknown trade number, wrong app id", async () => {
    const { booking, payment, msg } = await captured("alipay");
    const fields = parseForm(msg.rawBody)!;
    const { sign: _s, sign_type: _t, ...unsigned } = fields;
    const resign = (edit: Record<string, string>, key = keys().alipay.alipayPrivateKey) =>
      new URLSearchParams(signAlipayNotify({ ...unsigned, ...edit }, key)).toString();
    const forged = [
      resign({}, strangerKeys().privateKey),
      msg.rawBody.replace("total_amount=88.00", "total_amount=0.01"),
      resign({ total_amount: "0.01" }),
      resign({ out_trade_no: "YYPUNKNOWN0000000000000000000000" }),
      resign({ app_id: "2021000000000000" }),
    ];
    for (const body of forged) expect(await (await handlePaymentNotify("alipay", new Headers(), body)).text()).toBe("failure");
    await unchanged(booking.id, payment.id);
    expect(await (await handlePaymentNotify("alipay", new Headers(), msg.rawBody)).text()).toBe("success");
    expect((await bookingRow(booking.id)).status).toBe("confirmed");
  });

  it("WeChat: wrong key, stale timestamp, tampered ciphertext, wrong merchant", async () => {
    const { booking, payment, msg } = await captured("wechat");
    const w = keys().wechat;
    const sign = (body: string, at = new Date(), key = w.platformPrivateKey) =>
      new Headers(wechatSignedHeaders(body, key, w.platformSerial, at));
    const body = JSON.parse(msg.rawBody) as { resource: { ciphertext: string } };
    const bytes = Buffer.from(body.resource.ciphertext, "base64");
    bytes[5] = (bytes[5] ?? 0) ^ 0x01;
    const tampered = JSON.stringify({ ...body, resource: { ...body.resource, ciphertext: bytes.toString("base64") } });
    const foreign = JSON.stringify({
      ...body,
      resource: encryptResource(
        JSON.stringify({
          appid: w.appId,
          mchid: "1900000000",
          out_trade_no: payment.outTradeNo,
          transaction_id: "4200000000",
          trade_state: "SUCCESS",
          amount: { total: 8800, currency: "CNY" },
        }),
        w.apiV3Key,
        "transaction",
      ),
    });
    const attempts: [Headers, string][] = [
      [sign(foreign), foreign],
      [sign(msg.rawBody, new Date(), strangerKeys().privateKey), msg.rawBody],
      [sign(msg.rawBody, new Date(Date.now() - 10 * 60_000)), msg.rawBody],
      [sign(tampered), tampered],
      [msg.headers, msg.rawBody.replace('"id":"', '"id":"X')],
    ];
    for (const [headers, raw] of attempts) expect((await handlePaymentNotify("wechat", headers, raw)).status).toBeGreaterThanOrEqual(400);
    await unchanged(booking.id, payment.id);
    expect((await handlePaymentNotify("wechat", sign(msg.rawBody), msg.rawBody)).status).toBeLessThan(300);
    expect((await bookingRow(booking.id)).status).toBe("confirmed");
  });
});
