import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { bookings, notifications, paymentEvents, payments, refunds, timeslots, users } from "@/db/schema";
import { cancelBooking } from "@/lib/booking/cancel-booking";
import { createBooking } from "@/lib/booking/create-booking";
import { expireHolds } from "@/lib/booking/expire-holds";
import { startPayment } from "@/lib/booking/pay-booking";
import { closeOrdersJob, handlePaymentNotify } from "@/lib/booking/payments";
import { listRefunds } from "@/lib/dashboard/ledger-queries";
import { getBoss } from "@/lib/jobs/boss";
import type { JobData, JobDefinition } from "@/lib/jobs/registry";
import { setupTestDb } from "@/tests/db";
import { makeCustomer, makeService, makeSlot } from "@/tests/fixtures";
import { handleSandboxRequest, sandboxGatewayFromEnv } from "./providers";
import { sweepOrphanedRefunds } from "./reconcile";
import { refundBooking } from "./refund-booking";
import { executeRefund, queryDelaySeconds, refundJob, refundQueryJob, retryRefund } from "./refunds";
import { serveFetch, type RunningServer } from "@/tests/serve-fetch";

/**
 * Issue 9, item 5: payment edge paths (a)-(e), end to end through the sandbox gateway on its real
 * wire formats, with the job handlers run as the worker would run them.
 */

// The app's public URL is where the gateway sends notifies: a local server standing in for it.
const port = vi.hoisted(() => {
  const p = 41000 + Math.floor(Math.random() * 8000);
  process.env.APP_URL = `http://127.0.0.1:${p}`;
  return p;
});

// Fault injection for (a): the outbox write of "refund issued" fails this many more times.
const faults = vi.hoisted(() => ({ refundIssued: 0 }));
vi.mock("@/lib/notifications/booking-events", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/notifications/booking-events")>();
  return {
    ...original,
    refundIssued: async (...args: Parameters<typeof original.refundIssued>) => {
      if (faults.refundIssued > 0) {
        faults.refundIssued -= 1;
        throw new Error("injected fault: the outbox write failed");
      }
      return original.refundIssued(...args);
    },
  };
});

setupTestDb();

let server: RunningServer;
const notices: { path: string; status: number }[] = [];
/** While on, notifies are answered but never reach the app (a lost notify). */
let swallow = false;
beforeAll(async () => {
  server = await serveFetch(async (req) => {
    const path = new URL(req.url).pathname;
    if (path.startsWith("/sandbox-gateway")) return handleSandboxRequest(req);
    const gateway = path.includes("/wechat/") ? "wechat" : "alipay";
    if (swallow) return new Response("success");
    try {
      const res = await handlePaymentNotify(gateway, req.headers, await req.text());
      notices.push({ path, status: res.status });
      return res;
    } catch (e) {
      // What the route handlers do: log and answer so that the gateway delivers again.
      notices.push({ path, status: 500 });
      console.warn("[test] notify failed:", (e as Error).message);
      return new Response("failure", { status: 500 });
    }
  }, port);
});
afterAll(() => server.close());
afterEach(() => {
  swallow = false;
  faults.refundIssued = 0;
  gateway().holdRefunds(false);
  gateway().refuseRefunds(false);
});

const db = () => getDb();
const gateway = () => sandboxGatewayFromEnv();

/** The queued jobs of `job` whose data contains `data`. */
async function queued<T extends JobData>(job: JobDefinition<T>, data: Partial<T>) {
  return (await getBoss()).findJobs<T>(job.name, { data, queued: true });
}

/** Runs each queued job of `job` matching `data` as the worker would, then removes it. */
async function runQueued<T extends JobData>(job: JobDefinition<T>, data: Partial<T>, opts: { tolerate?: boolean } = {}) {
  const boss = await getBoss();
  const jobs = await queued(job, data);
  for (const j of jobs) {
    try {
      await job.handler(j.data, { id: j.id, name: job.name, retryCount: 0, signal: new AbortController().signal, db: db() });
    } catch (e) {
      if (!opts.tolerate) throw e;
    }
    await boss.deleteJob(job.name, j.id);
  }
  return jobs;
}

async function pendingBooking(
  opts: { priceFen?: number; startsAt?: Date; rules?: Record<string, unknown>; customerGroups?: string[] } = {},
) {
  const customer = await makeCustomer(db(), { groups: opts.customerGroups ?? [] });
  const service = await makeService(db(), {
    priceFen: opts.priceFen ?? 8800,
    rules: { minNoticeMin: 0, maxAdvanceDays: 3650, payment: { mode: "full" }, ...opts.rules },
  });
  const slot = await makeSlot(db(), service, { startsAt: opts.startsAt });
  const booking = await createBooking({ customerId: customer.id, timeslotId: slot.id });
  return { customer, service, slot, booking, actor: { id: customer.id, role: "customer" as const } };
}

async function paidBooking(provider: "alipay" | "wechat", opts: Parameters<typeof pendingBooking>[0] = {}) {
  const b = await pendingBooking(opts);
  const { payment } = await startPayment({ bookingId: b.booking.id, actor: b.actor, provider });
  await gateway().approve(payment.outTradeNo);
  expect((await bookingRow(b.booking.id)).status).toBe("confirmed");
  return { ...b, payment };
}

// One staff member for the file: every staff message goes to every staff member in the database.
let staffUser: Awaited<ReturnType<typeof makeCustomer>> | undefined;
const staffMember = async () => (staffUser ??= await makeCustomer(db(), { role: "staff" }));
const bookingRow = async (id: string) => (await db().select().from(bookings).where(eq(bookings.id, id)))[0]!;
const paymentRow = async (id: string) => (await db().select().from(payments).where(eq(payments.id, id)))[0]!;
const refundRow = async (id: string) => (await db().select().from(refunds).where(eq(refunds.id, id)))[0]!;
const refundsOf = async (bookingId: string) => db().select().from(refunds).where(eq(refunds.bookingId, bookingId));
const staffAlerts = async (bookingId: string, staffId: string) =>
  db()
    .select()
    .from(notifications)
    .where(and(eq(notifications.bookingId, bookingId), eq(notifications.type, "staff_refund_problem"), eq(notifications.userId, staffId)));

describe.each(["alipay", "wechat"] as const)("%s payment edge paths", (provider) => {
  it("(a) a refund notice whose application fails is applied by the gateway's redelivery", async () => {
    const { booking, actor, payment } = await paidBooking(provider, { priceFen: 8802, startsAt: new Date(Date.now() + 10 * 3_600_000) });
    const { refundFen } = await cancelBooking({ bookingId: booking.id, actor });
    expect(refundFen).toBe(4401);
    const [refund] = await refundsOf(booking.id);
    // The refund's completion fails: in the refund call's answer (Alipay settles there) and in the
    // first notice; the gateway answers the failed notice by delivering it again.
    faults.refundIssued = provider === "alipay" ? 2 : 1;
    await executeRefund(db(), refund!.id).catch(() => undefined);
    await gateway().idle();
    expect(notices.at(-1)?.status).toBe(500);
    expect((await refundRow(refund!.id)).status).toBe("pending");
    expect(faults.refundIssued).toBe(0);

    const again = await gateway().redeliver(payment.outTradeNo);
    expect(again.status).toBeLessThan(300);
    expect(await refundRow(refund!.id)).toMatchObject({ status: "succeeded", gatewayStatus: "SUCCESS" });
    expect(await paymentRow(payment.id)).toMatchObject({ status: "partially_refunded", refundedFen: 4401 });
    const refundEvents = (await db().select().from(paymentEvents).where(eq(paymentEvents.paymentId, payment.id))).filter(
      (e) => e.kind === "refund",
    );
    expect(refundEvents).toHaveLength(1);
    // A further redelivery is a true duplicate now.
    await gateway().redeliver(payment.outTradeNo);
    expect(await paymentRow(payment.id)).toMatchObject({ refundedFen: 4401 });
  });

  it("(b) a refund whose notice never comes is settled by the refund query job, asked with backoff", async () => {
    const staff = await staffMember();
    const { booking, payment } = await paidBooking(provider, { priceFen: 5000 });
    gateway().holdRefunds(true);
    const [refund] = await refundBooking({ bookingId: booking.id, amountFen: 1200, reason: "服务未完成", actorId: staff.id });
    await runQueued(refundJob, { refundId: refund!.id });
    expect((await refundRow(refund!.id)).status).toBe("pending");
    expect(gateway().refund(refund!.outRefundNo)?.status).toBe("PROCESSING");

    // Accepted but unsettled: a query is scheduled about a minute later.
    const [first] = await queued(refundQueryJob, { refundId: refund!.id });
    expect(first?.data.attempt).toBe(0);
    expect(first!.startAfter.getTime()).toBeGreaterThan(Date.now() + 50_000);
    // Still processing when asked: asked again later, each time later than the last.
    await runQueued(refundQueryJob, { refundId: refund!.id });
    const [second] = await queued(refundQueryJob, { refundId: refund!.id });
    expect(second?.data.attempt).toBe(1);
    expect((await refundRow(refund!.id)).status).toBe("pending");
    expect(queryDelaySeconds(2)).toBeGreaterThan(queryDelaySeconds(1));
    expect(queryDelaySeconds(50)).toBe(6 * 3600);

    // The gateway finishes it and never says so: the next query settles it.
    await gateway().settleRefund(refund!.outRefundNo, "SUCCESS", { notify: false });
    await runQueued(refundQueryJob, { refundId: refund!.id });
    expect(await refundRow(refund!.id)).toMatchObject({
      status: "succeeded",
      gatewayStatus: provider === "alipay" ? "REFUND_SUCCESS" : "SUCCESS",
    });
    expect(await paymentRow(payment.id)).toMatchObject({ status: "partially_refunded", refundedFen: 1200 });
    expect(await queued(refundQueryJob, { refundId: refund!.id })).toHaveLength(0);
    expect(
      await db()
        .select()
        .from(notifications)
        .where(and(eq(notifications.bookingId, booking.id), eq(notifications.type, "refund_issued"))),
    ).not.toHaveLength(0);
  });

  it("(b) the reconcile sweep asks about a refund whose query chain was lost", async () => {
    const staff = await staffMember();
    const { booking } = await paidBooking(provider, { priceFen: 2500 });
    gateway().holdRefunds(true);
    const [refund] = await refundBooking({ bookingId: booking.id, amountFen: 2500, reason: "补偿", actorId: staff.id });
    await runQueued(refundJob, { refundId: refund!.id });
    // The scheduled query is lost (say, dead-lettered) and hours go by.
    await (
      await getBoss()
    ).deleteJob(
      refundQueryJob.name,
      (await queued(refundQueryJob, { refundId: refund!.id })).map((j) => j.id),
    );
    await db()
      .update(refunds)
      .set({ createdAt: new Date(Date.now() - 9 * 3_600_000), checkedAt: new Date(Date.now() - 8 * 3_600_000) })
      .where(eq(refunds.id, refund!.id));
    await gateway().settleRefund(refund!.outRefundNo, "SUCCESS", { notify: false });
    await sweepOrphanedRefunds(db());
    expect((await refundRow(refund!.id)).status).toBe("succeeded");
  });

  it("(b) a refused refund alerts staff and the retry asks again under the same out_refund_no", async () => {
    const staff = await staffMember();
    const { booking, payment } = await paidBooking(provider, { priceFen: 6000 });
    gateway().refuseRefunds(true);
    const [refund] = await refundBooking({ bookingId: booking.id, amountFen: 6000, reason: "商家原因", actorId: staff.id });
    await runQueued(refundJob, { refundId: refund!.id });
    const failed = await refundRow(refund!.id);
    expect(failed).toMatchObject({
      status: "failed",
      gatewayStatus: provider === "alipay" ? "ACQ.SELLER_BALANCE_NOT_ENOUGH" : "NOT_ENOUGH",
    });
    expect(await staffAlerts(booking.id, staff.id)).toHaveLength(1);
    expect((await listRefunds(db(), { needsAttention: true, limit: 500 })).map((r) => r.id)).toContain(refund!.id);

    gateway().refuseRefunds(false);
    const again = await retryRefund(db(), { refundId: refund!.id, actorId: staff.id });
    expect(again).toMatchObject({ status: "pending", outRefundNo: refund!.outRefundNo });
    await runQueued(refundJob, { refundId: refund!.id });
    await gateway().idle();
    await runQueued(refundQueryJob, { refundId: refund!.id });
    expect(await refundRow(refund!.id)).toMatchObject({ status: "succeeded", outRefundNo: refund!.outRefundNo });
    expect(await paymentRow(payment.id)).toMatchObject({ status: "refunded", refundedFen: 6000 });
    expect((await listRefunds(db(), { needsAttention: true, limit: 500 })).map((r) => r.id)).not.toContain(refund!.id);
  });

  it("(c) cancelling an unpaid booking closes its gateway orders after commit", async () => {
    const { booking, actor } = await pendingBooking();
    const { payment } = await startPayment({ bookingId: booking.id, actor, provider });
    await cancelBooking({ bookingId: booking.id, actor });
    expect(gateway().order(payment.outTradeNo)?.status).toBe("pending");
    const jobs = await runQueued(closeOrdersJob, { bookingId: booking.id });
    expect(jobs).toHaveLength(1);
    expect(gateway().order(payment.outTradeNo)?.status).toBe("closed");
    expect((await paymentRow(payment.id)).status).toBe("closed");
    // The buyer can no longer pay for it.
    await expect(gateway().approve(payment.outTradeNo)).rejects.toThrow(/closed/);
  });

  it("(c) an order paid just before the close (notice lost) is found paid by the close job and refunded", async () => {
    const { booking, actor } = await pendingBooking({ priceFen: 7700 });
    const { payment } = await startPayment({ bookingId: booking.id, actor, provider });
    await cancelBooking({ bookingId: booking.id, actor });
    swallow = true;
    await gateway().approve(payment.outTradeNo);
    swallow = false;
    await runQueued(closeOrdersJob, { bookingId: booking.id });
    expect(await paymentRow(payment.id)).toMatchObject({ status: "paid" });
    expect((await bookingRow(booking.id)).status).toBe("cancelled");
    const [refund] = await refundsOf(booking.id);
    expect(refund).toMatchObject({ amountFen: 7700, status: "pending" });
    expect(refund!.reason).toContain("booking is cancelled");
  });

  it("(d) a late paid notice is refunded when the customer's limit is now used up", async () => {
    const { booking, actor, service, slot } = await pendingBooking({ rules: { maxActiveBookingsPerCustomer: 1 } });
    const { payment } = await startPayment({ bookingId: booking.id, actor, provider });
    await expireHolds(new Date(Date.now() + 16 * 60_000));
    // With the first hold expired, the customer's one active booking is another slot.
    const other = await makeSlot(db(), service);
    await createBooking({ customerId: actor.id, timeslotId: other.id });
    await gateway().approve(payment.outTradeNo);
    expect((await bookingRow(booking.id)).status).toBe("expired");
    expect((await db().select().from(timeslots).where(eq(timeslots.id, slot.id)))[0]!.bookedCount).toBe(0);
    const [refund] = await refundsOf(booking.id);
    expect(refund).toMatchObject({ amountFen: 8800, status: "pending" });
    expect(refund!.reason).toContain("max_active_bookings");
  });

  it("(d) a late paid notice is refunded when the rules now refuse the customer", async () => {
    const { booking, actor, slot } = await pendingBooking({ rules: { allowedGroups: ["member"] }, customerGroups: ["member"] });
    const { payment } = await startPayment({ bookingId: booking.id, actor, provider });
    await expireHolds(new Date(Date.now() + 16 * 60_000));
    // The membership lapsed while the hold ran out.
    await db().update(users).set({ groups: [] }).where(eq(users.id, actor.id));
    await gateway().approve(payment.outTradeNo);
    expect((await bookingRow(booking.id)).status).toBe("expired");
    expect((await db().select().from(timeslots).where(eq(timeslots.id, slot.id)))[0]!.bookedCount).toBe(0);
    const [refund] = await refundsOf(booking.id);
    expect(refund).toMatchObject({ amountFen: 8800, status: "pending" });
    expect(refund!.reason).toContain("group_restricted_service");
  });

  it("(e) a cancellation by staff refunds everything by default, or the policy's businessCancelRefundPercent", async () => {
    const staff = await staffMember();
    // 10 h ahead: the customer's own cancellation would get the 50% tier.
    const a = await paidBooking(provider, { priceFen: 8801, startsAt: new Date(Date.now() + 10 * 3_600_000) });
    const full = await cancelBooking({ bookingId: a.booking.id, actor: { id: staff.id, role: "staff" }, reason: "技师请假" });
    expect(full.refundFen).toBe(8801);
    expect(full.quote.refund.percent).toBe(100);
    expect((await refundsOf(a.booking.id)).map((r) => r.amountFen)).toEqual([8801]);

    const b = await paidBooking(provider, {
      priceFen: 8801,
      startsAt: new Date(Date.now() + 10 * 3_600_000),
      rules: { businessCancelRefundPercent: 30 },
    });
    const part = await cancelBooking({ bookingId: b.booking.id, actor: { id: staff.id, role: "admin" } });
    expect(part.refundFen).toBe(2640);
    expect((await refundsOf(b.booking.id)).map((r) => r.amountFen)).toEqual([2640]);

    // A goodwill refund still on its way counts as given back: the cancellation refunds the rest.
    const c = await paidBooking(provider, { priceFen: 8801 });
    await refundBooking({ bookingId: c.booking.id, amountFen: 1000, reason: "补偿", actorId: staff.id });
    const rest = await cancelBooking({ bookingId: c.booking.id, actor: { id: staff.id, role: "staff" } });
    expect(rest.refundFen).toBe(7801);
    expect((await refundsOf(c.booking.id)).map((r) => r.amountFen).sort()).toEqual([1000, 7801]);
  });
});

describe("WeChat refunds that end badly", () => {
  it("(b) ABNORMAL alerts staff and shows in the payments view; the retry asks WeChat again under the same number", async () => {
    const staff = await staffMember();
    const { booking, payment } = await paidBooking("wechat", { priceFen: 3000 });
    gateway().holdRefunds(true);
    const [refund] = await refundBooking({ bookingId: booking.id, amountFen: 3000, reason: "顾客投诉", actorId: staff.id });
    await runQueued(refundJob, { refundId: refund!.id });
    // The customer's card is frozen: WeChat sends REFUND.ABNORMAL.
    const notice = await gateway().settleRefund(refund!.outRefundNo, "ABNORMAL");
    expect(notice?.status).toBeLessThan(300);
    expect(await refundRow(refund!.id)).toMatchObject({ status: "abnormal", gatewayStatus: "ABNORMAL" });
    const alerts = await staffAlerts(booking.id, staff.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ channel: "in_app" });
    expect((await listRefunds(db(), { needsAttention: true, limit: 500 })).find((r) => r.id === refund!.id)).toMatchObject({
      status: "abnormal",
      bookingCode: booking.code,
    });
    // The held money is not available for another refund.
    await expect(refundBooking({ bookingId: booking.id, amountFen: 1, reason: "再退一次", actorId: staff.id })).rejects.toThrow(
      /At most 0 fen/,
    );

    // Retried while still abnormal: WeChat answers the same refund, still abnormal.
    await retryRefund(db(), { refundId: refund!.id, actorId: staff.id });
    await runQueued(refundJob, { refundId: refund!.id });
    expect(await refundRow(refund!.id)).toMatchObject({ status: "abnormal", outRefundNo: refund!.outRefundNo });
    // Handled in the merchant platform; the next retry finds it paid out.
    await gateway().settleRefund(refund!.outRefundNo, "SUCCESS", { notify: false });
    await retryRefund(db(), { refundId: refund!.id, actorId: staff.id });
    await runQueued(refundJob, { refundId: refund!.id });
    expect(await refundRow(refund!.id)).toMatchObject({ status: "succeeded" });
    expect(await paymentRow(payment.id)).toMatchObject({ status: "refunded", refundedFen: 3000 });
  });

  it("(b) a refund still processing after a day is shown to staff once, and still asked about", async () => {
    const staff = await staffMember();
    const { booking } = await paidBooking("wechat", { priceFen: 1500 });
    gateway().holdRefunds(true);
    const [refund] = await refundBooking({ bookingId: booking.id, amountFen: 1500, reason: "补偿", actorId: staff.id });
    await runQueued(refundJob, { refundId: refund!.id });
    await db()
      .update(refunds)
      .set({ createdAt: new Date(Date.now() - 25 * 3_600_000) })
      .where(eq(refunds.id, refund!.id));
    await runQueued(refundQueryJob, { refundId: refund!.id });
    await runQueued(refundQueryJob, { refundId: refund!.id });
    expect(await staffAlerts(booking.id, staff.id)).toHaveLength(1);
    expect((await staffAlerts(booking.id, staff.id))[0]!.body).toContain("24");
    expect(await queued(refundQueryJob, { refundId: refund!.id })).toHaveLength(1);
    expect((await refundRow(refund!.id)).status).toBe("pending");
  });

  it("(b) CLOSED found by the query fails the refund; the retry needs a new out_refund_no and succeeds", async () => {
    const staff = await staffMember();
    const { booking, payment } = await paidBooking("wechat", { priceFen: 4000 });
    gateway().holdRefunds(true);
    const [refund] = await refundBooking({ bookingId: booking.id, amountFen: 4000, reason: "重复收款", actorId: staff.id });
    await runQueued(refundJob, { refundId: refund!.id });
    await gateway().settleRefund(refund!.outRefundNo, "CLOSED", { notify: false });
    await runQueued(refundQueryJob, { refundId: refund!.id });
    expect(await refundRow(refund!.id)).toMatchObject({ status: "failed", gatewayStatus: "CLOSED" });
    expect(await staffAlerts(booking.id, staff.id)).toHaveLength(1);

    gateway().holdRefunds(false);
    const again = await retryRefund(db(), { refundId: refund!.id, actorId: staff.id });
    expect(again.status).toBe("pending");
    expect(again.outRefundNo).not.toBe(refund!.outRefundNo);
    await runQueued(refundJob, { refundId: refund!.id });
    await gateway().idle();
    expect(await refundRow(refund!.id)).toMatchObject({ status: "succeeded", outRefundNo: again.outRefundNo });
    expect(await paymentRow(payment.id)).toMatchObject({ status: "refunded", refundedFen: 4000 });
    expect(gateway().refund(refund!.outRefundNo)?.status).toBe("CLOSED");
  });
});
