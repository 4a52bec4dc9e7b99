import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, bookings, notifications, paymentEvents, payments, refunds } from "@/db/schema";
import { cancelBooking } from "@/lib/booking/cancel-booking";
import { createBooking } from "@/lib/booking/create-booking";
import { recordDeskPayment, settleDeskRefund } from "@/lib/booking/desk-payments";
import { bookingBalance } from "@/lib/booking/money-facts";
import { startPayment } from "@/lib/booking/pay-booking";
import { handlePaymentNotify } from "@/lib/booking/payments";
import { bookOnBehalf, cancelByStaff, confirmOffline } from "@/lib/booking/staff-commands";
import { dayRange } from "@/lib/booking/day-range";
import { bookingsCsv, paymentsCsv } from "@/lib/dashboard/export-queries";
import { handleSandboxRequest, sandboxGatewayFromEnv } from "@/lib/payments/providers";
import { executeRefund, queryRefund } from "@/lib/payments/refunds";
import { sweepOrphanedRefunds } from "@/lib/payments/reconcile";
import { savePassPlan } from "@/lib/passes/save-plan";
import { sellPassAtDesk } from "@/lib/passes/sell-pass";
import { setupTestDb, uniq } from "@/tests/db";
import { ensureBusiness, makeCustomer, makeService, makeSlot } from "@/tests/fixtures";
import { serveFetch, type RunningServer } from "@/tests/serve-fetch";
import { callRoute } from "@/tests/routes";
import { issueApiToken } from "@/lib/auth/api-tokens";
import { POST as confirmRoute } from "@/app/api/v1/staff/bookings/[id]/confirm/route";
import { POST as deskPaymentRoute } from "@/app/api/v1/staff/bookings/[id]/payments/route";
import { POST as deskReturnRoute } from "@/app/api/v1/staff/refunds/[id]/desk-return/route";
import { POST as checkInRoute } from "@/app/api/v1/staff/check-in/route";

// The app's public URL is where the sandbox gateway sends its notifies: a local server standing in for it.
const port = vi.hoisted(() => {
  const p = 41000 + Math.floor(Math.random() * 8000);
  process.env.APP_URL = `http://127.0.0.1:${p}`;
  return p;
});

setupTestDb();

let server: RunningServer;
beforeAll(async () => {
  server = await serveFetch(async (req) => {
    const path = new URL(req.url).pathname;
    if (path.startsWith("/sandbox-gateway")) return handleSandboxRequest(req);
    return handlePaymentNotify(path.includes("/wechat/") ? "wechat" : "alipay", req.headers, await req.text());
  }, port);
});
afterAll(() => server.close());

const db = () => getDb();
const gateway = () => sandboxGatewayFromEnv();

async function clerk() {
  const u = await makeCustomer(db(), { role: "staff", name: uniq("前台") });
  return { user: u, actor: { id: u.id, role: "staff" as const } };
}

/** A 200-yuan service with a 50-yuan deposit, booked `hoursAhead` from now by a new customer (on hold). */
async function heldBooking(hoursAhead = 48) {
  const customer = await makeCustomer(db());
  const service = await makeService(db(), {
    priceFen: 20000,
    depositFen: 5000,
    rules: { minNoticeMin: 0, maxAdvanceDays: 3650, payment: { mode: "deposit" } },
  });
  const slot = await makeSlot(db(), service, { startsAt: new Date(Date.now() + hoursAhead * 3_600_000) });
  const booking = await createBooking({ customerId: customer.id, timeslotId: slot.id });
  return { customer, service, slot, booking, actor: { id: customer.id, role: "customer" as const } };
}

/** The deposit paid online through the sandbox gateway (Alipay's wire): the booking is confirmed. */
async function depositPaid(hoursAhead = 48) {
  const held = await heldBooking(hoursAhead);
  const { payment } = await startPayment({ bookingId: held.booking.id, actor: held.actor, provider: "alipay" });
  await gateway().approve(payment.outTradeNo);
  return { ...held, deposit: payment };
}

const bookingRow = async (id: string) => (await db().select().from(bookings).where(eq(bookings.id, id)))[0]!;
const balanceOf = async (id: string) => (await bookingBalance(db(), await bookingRow(id))).balanceFen;
const refundsOf = (bookingId: string) => db().select().from(refunds).where(eq(refunds.bookingId, bookingId));
const typed = async (bookingId: string, type: string) =>
  (
    await db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.bookingId, bookingId), eq(notifications.type, type)))
  ).length;
const audits = (entityId: string, action: string) =>
  db()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityId, entityId), eq(auditLog.action, action)));

describe("desk payments", () => {
  it("a desk payment is a ledger row with who and why; the balance falls to 0 and no further", async () => {
    const { booking } = await depositPaid();
    const { actor } = await clerk();
    expect(await balanceOf(booking.id)).toBe(15000);
    const part = await recordDeskPayment({ bookingId: booking.id, actor, method: "cash", amountFen: 10000, note: "前台现金" });
    expect(part.balance).toMatchObject({ priceFen: 20000, paidFen: 15000, balanceFen: 5000 });
    const [row] = await db().select().from(payments).where(eq(payments.id, part.payment.id));
    expect(row).toMatchObject({
      provider: "desk",
      gateway: "desk",
      method: "cash",
      recordedBy: actor.id,
      note: "前台现金",
      status: "paid",
      purpose: "balance",
    });
    const [entry] = await audits(row!.id, "payment.desk_recorded");
    expect(entry).toMatchObject({ actorId: actor.id, reason: "前台现金" });
    // More than is due is refused; the rest (no amount: the whole balance) settles it.
    await expect(recordDeskPayment({ bookingId: booking.id, actor, method: "card", amountFen: 6000 })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
    });
    expect((await recordDeskPayment({ bookingId: booking.id, actor, method: "card" })).balance.balanceFen).toBe(0);
    await expect(recordDeskPayment({ bookingId: booking.id, actor, method: "cash" })).rejects.toMatchObject({ code: "INVALID_STATE" });
    // A customer cannot record one.
    const { booking: other, actor: customer } = await depositPaid();
    await expect(recordDeskPayment({ bookingId: other.id, actor: customer, method: "cash" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("two clerks taking the whole balance at once: one payment is recorded, the other is refused", async () => {
    const { booking } = await depositPaid();
    const [a, b] = [(await clerk()).actor, (await clerk()).actor];
    const results = await Promise.allSettled([
      recordDeskPayment({ bookingId: booking.id, actor: a, method: "cash" }),
      recordDeskPayment({ bookingId: booking.id, actor: b, method: "card" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await balanceOf(booking.id)).toBe(0);
    const desk = await db()
      .select()
      .from(payments)
      .where(and(eq(payments.bookingId, booking.id), eq(payments.provider, "desk")));
    expect(desk).toHaveLength(1);
  });

  it("the customer pays the balance online: paid in full, applied once however often the notice comes, no second confirmation", async () => {
    const { booking, actor } = await depositPaid();
    const confirmedMessages = await typed(booking.id, "payment_received");
    const { payment } = await startPayment({ bookingId: booking.id, actor, provider: "alipay" });
    expect(payment.amountFen).toBe(15000);
    await gateway().approve(payment.outTradeNo);
    for (let i = 0; i < 5; i++) expect((await gateway().redeliver(payment.outTradeNo)).status).toBeLessThan(300);
    expect(await balanceOf(booking.id)).toBe(0);
    expect((await bookingRow(booking.id)).status).toBe("confirmed");
    expect(await db().select().from(paymentEvents).where(eq(paymentEvents.paymentId, payment.id))).toHaveLength(1);
    expect(await audits(booking.id, "booking.confirmed")).toHaveLength(1);
    expect(await audits(booking.id, "booking.balance_paid")).toHaveLength(1);
    expect(await typed(booking.id, "payment_received")).toBe(confirmedMessages);
    expect(await refundsOf(booking.id)).toHaveLength(0);
    await expect(startPayment({ bookingId: booking.id, actor, provider: "alipay" })).rejects.toMatchObject({ code: "ALREADY_PAID" });
  });

  it("a balance order paid after the desk took the balance is refunded, not kept", async () => {
    const { booking, actor } = await depositPaid();
    const { payment } = await startPayment({ bookingId: booking.id, actor, provider: "alipay" });
    await recordDeskPayment({ bookingId: booking.id, actor: (await clerk()).actor, method: "cash" });
    await gateway().approve(payment.outTradeNo);
    const [back] = await refundsOf(booking.id);
    expect(back).toMatchObject({ paymentId: payment.id, amountFen: 15000, method: null });
  });
});

describe("cancellation refunds across online and desk payments (gateway first, then the desk)", () => {
  it("a customer's 50% tier: the online deposit goes back through the gateway, the rest is owed at the desk", async () => {
    const { booking, actor, deposit } = await depositPaid(10);
    const { actor: staff } = await clerk();
    await recordDeskPayment({ bookingId: booking.id, actor: staff, method: "cash" });
    const result = await cancelBooking({ bookingId: booking.id, actor });
    expect(result.refundFen).toBe(10000);
    const rows = await refundsOf(booking.id);
    const online = rows.find((r) => r.paymentId === deposit.id)!;
    const desk = rows.find((r) => r.method === "cash")!;
    expect(online).toMatchObject({ amountFen: 5000, method: null, status: "pending" });
    expect(desk).toMatchObject({ amountFen: 5000, status: "pending" });
    await executeRefund(db(), online.id);
    await gateway().idle();
    expect((await refundsOf(booking.id)).find((r) => r.id === online.id)!.status).toBe("succeeded");
    // No gateway knows the desk refund: executing, querying or sweeping it changes nothing.
    await executeRefund(db(), desk.id);
    expect(await queryRefund(db(), desk.id)).toBe("settled");
    await sweepOrphanedRefunds(db(), new Date(Date.now() + 30 * 3_600_000));
    expect((await refundsOf(booking.id)).find((r) => r.id === desk.id)).toMatchObject({ status: "pending", checkedAt: null });
    // Staff hand the cash back and record it, once.
    const settled = await settleDeskRefund({ refundId: desk.id, actor: staff, note: "现金退还" });
    expect(settled).toMatchObject({ status: "succeeded", settledBy: staff.id, gatewayStatus: "DESK" });
    await expect(settleDeskRefund({ refundId: desk.id, actor: staff })).rejects.toMatchObject({ code: "INVALID_STATE" });
    await expect(settleDeskRefund({ refundId: online.id, actor: staff })).rejects.toMatchObject({ code: "INVALID_STATE" });
    const [deskPayment] = await db()
      .select()
      .from(payments)
      .where(and(eq(payments.bookingId, booking.id), eq(payments.provider, "desk")));
    expect(deskPayment).toMatchObject({ status: "partially_refunded", refundedFen: 5000 });
    expect(await audits(desk.id, "refund.desk_returned")).toEqual([expect.objectContaining({ actorId: staff.id })]);
  });

  it("the business cancelling refunds all of both: the deposit online, the cash at the desk", async () => {
    const { booking, deposit } = await depositPaid(10);
    const { actor: staff } = await clerk();
    await recordDeskPayment({ bookingId: booking.id, actor: staff, method: "card", amountFen: 15000 });
    const result = await cancelByStaff({ bookingId: booking.id, actor: staff, reason: "closed today" });
    expect(result.refundFen).toBe(20000);
    const rows = await refundsOf(booking.id);
    expect(rows.map((r) => [r.paymentId === deposit.id ? "online" : r.method, r.amountFen]).sort()).toEqual([
      ["card", 15000],
      ["online", 5000],
    ]);
  });

  it("the gateway payment is refunded first even when the desk took its money earlier", async () => {
    const { booking, actor } = await heldBooking(10);
    const { actor: staff } = await clerk();
    const { payment: desk } = await confirmOffline({ bookingId: booking.id, actor: staff, reason: "deposit in cash", method: "cash" });
    const { payment: online } = await startPayment({ bookingId: booking.id, actor, provider: "alipay" });
    await gateway().approve(online.outTradeNo);
    expect(await balanceOf(booking.id)).toBe(0);
    const { requestRefund } = await import("@/lib/payments/refunds");
    const small = await db().transaction((tx) => requestRefund(tx, { bookingId: booking.id, amountFen: 4000, reason: "goodwill" }));
    expect(small).toEqual([expect.objectContaining({ paymentId: online.id, amountFen: 4000, method: null })]);
    // The 50% tier of what is left (200 − 40 = 160): 80, of which the online payment still has 110.
    const result = await cancelBooking({ bookingId: booking.id, actor });
    expect(result.refundFen).toBe(8000);
    const rows = await refundsOf(booking.id);
    expect(rows.filter((r) => r.paymentId === desk.id)).toHaveLength(0);
    expect(
      rows
        .filter((r) => r.paymentId === online.id)
        .map((r) => r.amountFen)
        .sort(),
    ).toEqual([4000, 8000]);
  });
});

describe("confirm offline records a desk payment", () => {
  it("the amount due is on the ledger (method other, the reason as note), and a later cancellation refunds it", async () => {
    const { booking } = await heldBooking();
    const { actor } = await clerk();
    await expect(confirmOffline({ bookingId: booking.id, actor, reason: " " })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    const { booking: confirmed, payment } = await confirmOffline({ bookingId: booking.id, actor, reason: "paid cash at the desk" });
    expect(confirmed).toMatchObject({ status: "confirmed", holdExpiresAt: null });
    expect(payment).toMatchObject({ provider: "desk", amountFen: 5000, status: "paid" });
    const [row] = await db().select().from(payments).where(eq(payments.id, payment.id));
    expect(row).toMatchObject({ method: "other", note: "paid cash at the desk", recordedBy: actor.id, purpose: "due" });
    expect(await audits(booking.id, "booking.confirmed")).toEqual([expect.objectContaining({ actorId: actor.id })]);
    expect(await typed(booking.id, "payment_received")).toBeGreaterThan(0);
    await expect(confirmOffline({ bookingId: booking.id, actor, reason: "again" })).rejects.toMatchObject({ code: "INVALID_STATE" });
    const cancelled = await cancelByStaff({ bookingId: booking.id, actor, reason: "customer called" });
    expect(cancelled.refundFen).toBe(5000);
    expect(await refundsOf(booking.id)).toEqual([expect.objectContaining({ paymentId: payment.id, amountFen: 5000, method: "other" })]);
  });

  it("the method and amount may be given", async () => {
    const { booking } = await heldBooking();
    const { actor } = await clerk();
    const { payment } = await confirmOffline({
      bookingId: booking.id,
      actor,
      reason: "full price by card",
      method: "card",
      amountFen: 20000,
    });
    expect(payment.amountFen).toBe(20000);
    expect(await balanceOf(booking.id)).toBe(0);
  });
});

describe("over HTTP", () => {
  it("the old confirm body still works and records the ledger row; payments, check-in and desk-return answer as documented", async () => {
    const { booking, customer } = await heldBooking(3);
    const { user } = await clerk();
    const { token } = await issueApiToken(user.id);
    const at = (path: string, id: string, body: unknown, t = token) =>
      callRoute(path.includes("refunds") ? deskReturnRoute : path.endsWith("confirm") ? confirmRoute : deskPaymentRoute, {
        path,
        ip: "203.0.113.9",
        token: t,
        body,
        params: { id },
      });
    const confirmed = await at(`/api/v1/staff/bookings/${booking.id}/confirm`, booking.id, { reason: "paid offline" });
    expect(confirmed.status).toBe(200);
    const body = (await confirmed.json()) as { booking: { status: string }; payment: { provider: string; amountFen: number } };
    expect(body.booking.status).toBe("confirmed");
    expect(body.payment).toMatchObject({ provider: "desk", amountFen: 5000 });
    // A customer's token is refused; a bad method is a 400.
    const own = await issueApiToken(customer.id);
    expect((await at(`/api/v1/staff/bookings/${booking.id}/payments`, booking.id, { method: "cash" }, own.token)).status).toBe(403);
    expect((await at(`/api/v1/staff/bookings/${booking.id}/payments`, booking.id, { method: "bitcoin" })).status).toBe(400);
    const checkedIn = await callRoute(checkInRoute, {
      path: "/api/v1/staff/check-in",
      ip: "203.0.113.9",
      token,
      body: { code: booking.code },
    });
    expect(((await checkedIn.json()) as { balance: { balanceFen: number } }).balance.balanceFen).toBe(15000);
    const paid = await at(`/api/v1/staff/bookings/${booking.id}/payments`, booking.id, { method: "card", note: "POS" });
    expect(paid.status).toBe(201);
    expect(((await paid.json()) as { balance: { balanceFen: number } }).balance.balanceFen).toBe(0);
    expect((await at(`/api/v1/staff/bookings/${booking.id}/payments`, booking.id, { method: "cash" })).status).toBe(409);
    await cancelByStaff({ bookingId: booking.id, actor: { id: user.id, role: "staff" }, reason: "closed" });
    const owed = (await refundsOf(booking.id)).filter((r) => r.method);
    expect(owed.map((r) => r.amountFen).sort()).toEqual([15000, 5000].sort());
    for (const r of owed) expect((await at(`/api/v1/staff/refunds/${r.id}/desk-return`, r.id, {})).status).toBe(200);
    expect((await at(`/api/v1/staff/refunds/${owed[0]!.id}/desk-return`, owed[0]!.id, {})).status).toBe(409);
    expect(await balanceOf(booking.id)).toBe(0);
  });
});

describe("staff booking on behalf without a pay-hold", () => {
  async function openSlot() {
    const customer = await makeCustomer(db(), { phone: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}` });
    const service = await makeService(db(), {
      priceFen: 12000,
      depositFen: 3000,
      rules: { minNoticeMin: 0, maxAdvanceDays: 3650, payment: { mode: "deposit" } },
    });
    const slot = await makeSlot(db(), service);
    return { customer, service, slot };
  }
  const onBehalf = async (payment: "hold" | "desk" | "cash" | "pass", passId?: string) => {
    const { customer, service, slot } = await openSlot();
    const { actor } = await clerk();
    const booking = await bookOnBehalf({
      customerId: customer.id,
      timeslotId: slot.id,
      seats: 1,
      fields: {},
      payment,
      passId,
      actor,
      locale: "zh-CN",
    });
    return { booking, customer, service, actor };
  };

  it("hold: pending payment, and the customer is asked to pay", async () => {
    const { booking } = await onBehalf("hold");
    expect(booking).toMatchObject({ status: "pending_payment" });
    expect(await typed(booking.id, "booking_pending_payment")).toBeGreaterThan(0);
  });

  it("到店付: confirmed without a hold, the balance due, and no pay message", async () => {
    const { booking } = await onBehalf("desk");
    expect(booking).toMatchObject({ status: "confirmed", holdExpiresAt: null });
    expect(await typed(booking.id, "booking_pending_payment")).toBe(0);
    expect(await typed(booking.id, "booking_confirmed")).toBeGreaterThan(0);
    expect(await balanceOf(booking.id)).toBe(12000);
  });

  it("已收现金: confirmed, the cash recorded by the clerk, nothing due", async () => {
    const { booking, actor } = await onBehalf("cash");
    expect(booking.status).toBe("confirmed");
    expect(await typed(booking.id, "booking_pending_payment")).toBe(0);
    const [cash] = await db().select().from(payments).where(eq(payments.bookingId, booking.id));
    expect(cash).toMatchObject({ provider: "desk", method: "cash", amountFen: 12000, recordedBy: actor.id });
    expect(await balanceOf(booking.id)).toBe(0);
  });

  it("会员卡: the customer's visits card pays, confirmed, nothing due, no pay message", async () => {
    const { customer, service, slot } = await openSlot();
    const { actor, user } = await clerk();
    const business = await ensureBusiness(db());
    const plan = await savePassPlan({
      businessId: business.id,
      actorId: user.id,
      kind: "visits",
      name: uniq("次卡"),
      priceFen: 30000,
      visits: 3,
      bonusFen: 0,
      discountPercent: null,
      serviceIds: [service.id],
      validDays: 90,
      active: true,
    });
    const { pass } = await sellPassAtDesk({ planId: plan.id, customerId: customer.id, method: "cash", actorId: user.id });
    const booking = await bookOnBehalf({
      customerId: customer.id,
      timeslotId: slot.id,
      seats: 1,
      fields: {},
      payment: "pass",
      passId: pass.id,
      actor,
      locale: "zh-CN",
    });
    expect(booking.status).toBe("confirmed");
    expect(await typed(booking.id, "booking_pending_payment")).toBe(0);
    expect(await balanceOf(booking.id)).toBe(0);
    expect(await db().select().from(payments).where(eq(payments.bookingId, booking.id))).toHaveLength(0);
  });
});

describe("the CSV exports", () => {
  it("list desk payments with method, who took them and the note; bookings with paid, refunded and balance", async () => {
    const { booking, service } = await depositPaid(3);
    const { actor, user } = await clerk();
    const { payment } = await recordDeskPayment({ bookingId: booking.id, actor, method: "cash", amountFen: 10000, note: "desk-csv" });
    const business = await ensureBusiness(db());
    const today = new Date().toLocaleDateString("sv-SE", { timeZone: business.timezone });
    const inTwoDays = new Date(Date.now() + 2 * 86_400_000).toLocaleDateString("sv-SE", { timeZone: business.timezone });
    const range = dayRange({ from: today, to: inTwoDays }, business.timezone);
    const paymentsText = await paymentsCsv(db(), range, business.timezone);
    const deskLine = paymentsText.split(/\r?\n/).find((l) => l.includes(payment.outTradeNo))!;
    expect(deskLine).toContain("desk");
    expect(deskLine).toContain("cash");
    expect(deskLine).toContain(user.name);
    expect(deskLine).toContain("desk-csv");
    expect(paymentsText.split(/\r?\n/)[0]).toContain("desk_method");
    const bookingsText = await bookingsCsv(db(), range, business.timezone);
    const header = bookingsText.split(/\r?\n/)[0]!.split(",");
    const line = bookingsText
      .split(/\r?\n/)
      .find((l) => l.startsWith(booking.code))!
      .split(",");
    expect(service.priceFen).toBe(20000);
    expect(line[header.indexOf("paid_yuan")]).toBe("150.00");
    expect(line[header.indexOf("balance_yuan")]).toBe("50.00");
  });
});
