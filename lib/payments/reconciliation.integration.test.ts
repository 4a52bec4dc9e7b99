import { and, eq, inArray, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, billArchives, bookings, payments, reconciliationItems, refunds } from "@/db/schema";
import { cancelBooking } from "@/lib/booking/cancel-booking";
import { createBooking } from "@/lib/booking/create-booking";
import { startPayment } from "@/lib/booking/pay-booking";
import { handlePaymentNotify, reconcileBill, resolveBillDifference } from "@/lib/booking/payments";
import { setupTestDb } from "@/tests/db";
import { makeCustomer, makeService, makeSlot } from "@/tests/fixtures";
import { serveFetch, type RunningServer } from "@/tests/serve-fetch";
import { handleSandboxRequest, sandboxGatewayFromEnv } from "./providers";
import { executeRefund } from "./refunds";

// The app's public URL, where the sandbox sends notices: a local server standing in for it.
const port = vi.hoisted(() => {
  const p = 41000 + Math.floor(Math.random() * 8000);
  process.env.APP_URL = `http://127.0.0.1:${p}`;
  return p;
});

setupTestDb();

let swallow = false;
let server: RunningServer;
beforeAll(async () => {
  server = await serveFetch(async (req) => {
    const path = new URL(req.url).pathname;
    if (path.startsWith("/sandbox-gateway")) return handleSandboxRequest(req);
    const rawBody = await req.text();
    if (swallow) return new Response("success");
    return handlePaymentNotify(path.includes("/wechat/") ? "wechat" : "alipay", req.headers, rawBody);
  }, port);
});
afterAll(() => server.close());

const db = () => getDb();
const gateway = () => sandboxGatewayFromEnv();
/** A past day the scenario is moved to, in the ledger and at the gateway alike. */
const BILL_DAY = "2026-01-15";
const ON_BILL_DAY = new Date(`${BILL_DAY}T12:00:00+08:00`);

async function onBillDay(paymentIds: string[], outTradeNos: string[]) {
  await db()
    .update(payments)
    .set({ paidAt: ON_BILL_DAY })
    .where(and(inArray(payments.id, paymentIds), isNotNull(payments.paidAt)));
  await db()
    .update(refunds)
    .set({ completedAt: ON_BILL_DAY })
    .where(and(inArray(refunds.paymentId, paymentIds), isNotNull(refunds.completedAt)));
  for (const no of outTradeNos) {
    const order = gateway().order(no);
    if (!order) continue;
    if (order.paidAt) Object.assign(order, { paidAt: ON_BILL_DAY });
    for (const r of order.refunds) Object.assign(r, { createdAt: ON_BILL_DAY });
  }
}

async function paidBooking(provider: "alipay" | "wechat", priceFen: number, opts: { lostNotice?: boolean; hoursAhead?: number } = {}) {
  const customer = await makeCustomer(db());
  const service = await makeService(db(), { priceFen, rules: { minNoticeMin: 0, maxAdvanceDays: 3650, payment: { mode: "full" } } });
  const slot = await makeSlot(db(), service, { startsAt: new Date(Date.now() + (opts.hoursAhead ?? 72) * 3_600_000) });
  const booking = await createBooking({ customerId: customer.id, timeslotId: slot.id });
  const actor = { id: customer.id, role: "customer" as const };
  const { payment } = await startPayment({ bookingId: booking.id, actor, provider });
  swallow = Boolean(opts.lostNotice);
  try {
    await gateway().approve(payment.outTradeNo);
  } finally {
    swallow = false;
  }
  return { booking, payment, actor };
}

const bookingStatus = async (id: string) => (await db().select().from(bookings).where(eq(bookings.id, id)))[0]!.status;
const itemsOf = async (runId: string) => db().select().from(reconciliationItems).where(eq(reconciliationItems.runId, runId));

describe.each(["alipay", "wechat"] as const)("%s daily bill reconciliation", (provider) => {
  it("finds a lost notice, an amount mismatch, a lost refund notice and a payment the gateway never took; settles what it can; totals agree after resolution", async () => {
    // Matched: paid and noticed, then cancelled 10 h ahead with the 50% refund paid out.
    const clean = await paidBooking(provider, 8801, { hoursAhead: 10 });
    await cancelBooking({ bookingId: clean.booking.id, actor: clean.actor });
    const [cleanRefund] = await db().select().from(refunds).where(eq(refunds.bookingId, clean.booking.id));
    await executeRefund(db(), cleanRefund!.id);
    await gateway().idle();
    // Lost notice: the customer paid, the notice never arrived.
    const lost = await paidBooking(provider, 6600, { lostNotice: true });
    expect(await bookingStatus(lost.booking.id)).toBe("pending_payment");
    // Amount mismatch: the ledger says 1 fen less than the gateway took.
    const odd = await paidBooking(provider, 5000);
    await db().update(payments).set({ amountFen: 4999 }).where(eq(payments.id, odd.payment.id));
    // A refund the gateway paid out whose notice never came (held, then settled silently).
    const quiet = await paidBooking(provider, 4000, { hoursAhead: 10 });
    gateway().holdRefunds(true);
    await cancelBooking({ bookingId: quiet.booking.id, actor: quiet.actor });
    const [quietRefund] = await db().select().from(refunds).where(eq(refunds.bookingId, quiet.booking.id));
    await executeRefund(db(), quietRefund!.id);
    gateway().holdRefunds(false);
    await gateway().settleRefund(quietRefund!.outRefundNo, "SUCCESS", { notify: false });
    expect((await db().select().from(refunds).where(eq(refunds.id, quietRefund!.id)))[0]!.status).toBe("pending");
    // In the ledger as paid, never at the gateway (a desk mistake, say).
    const ghost = await paidBooking(provider, 3000, { lostNotice: true });
    await db().update(payments).set({ status: "paid", paidAt: new Date() }).where(eq(payments.id, ghost.payment.id));
    const ghostOrder = gateway().order(ghost.payment.outTradeNo)!;
    Object.assign(ghostOrder, { status: "pending", paidAt: undefined });

    // The scenario happened on a day of its own: on PostgreSQL the whole suite shares one ledger, and
    // payments of other test files (paid today, unknown to this file's gateway) are not this day's.
    const ours = [clean, lost, odd, quiet, ghost].map((b) => b.payment);
    await onBillDay(
      ours.map((p) => p.id),
      ours.map((p) => p.outTradeNo),
    );

    const run = await reconcileBill(db(), provider, BILL_DAY);
    expect(run.status).toBe("differences");
    const items = await itemsOf(run.id);
    const byKind = Object.fromEntries(items.map((i) => [i.kind, i]));
    expect(Object.keys(byKind).sort()).toEqual(["amount_mismatch", "lost_notice", "missing_at_gateway", "refund_lost_notice"]);
    expect(byKind.lost_notice).toMatchObject({
      outTradeNo: lost.payment.outTradeNo,
      status: "resolved",
      resolution: "confirmed",
      gatewayFen: 6600,
    });
    expect(await bookingStatus(lost.booking.id)).toBe("confirmed");
    expect(byKind.refund_lost_notice).toMatchObject({
      outRefundNo: quietRefund!.outRefundNo,
      status: "resolved",
      resolution: "refund_settled",
    });
    expect((await db().select().from(refunds).where(eq(refunds.id, quietRefund!.id)))[0]!.status).toBe("succeeded");
    expect(byKind.amount_mismatch).toMatchObject({ outTradeNo: odd.payment.outTradeNo, status: "open", gatewayFen: 5000, ledgerFen: 4999 });
    expect(byKind.missing_at_gateway).toMatchObject({
      outTradeNo: ghost.payment.outTradeNo,
      status: "open",
      gatewayFen: null,
      ledgerFen: 3000,
    });
    expect(run.gatewayTotals).toMatchObject({ payments: 4, paidFen: 8801 + 6600 + 5000 + 4000, refunds: 2, refundedFen: 4401 + 2000 });
    expect(run.ledgerTotals).toMatchObject({ paidFen: 8801 + 6600 + 4999 + 4000 + 3000, refundedFen: 4401 + 2000 });
    // The bill itself is archived.
    const archived = await db().select().from(billArchives).where(eq(billArchives.gateway, provider));
    expect(archived.map((a) => a.name)).toContain(`${provider}-trade-${BILL_DAY}.${provider === "alipay" ? "csv.zip" : "csv.gz"}`);

    // Running again changes nothing: same differences, the notice applied once.
    const again = await reconcileBill(db(), provider, BILL_DAY);
    expect(again.id).toBe(run.id);
    expect((await itemsOf(run.id)).length).toBe(4);
    const confirmations = await db().select().from(auditLog).where(eq(auditLog.entityId, lost.booking.id));
    expect(confirmations.filter((a) => a.action === "booking.confirmed")).toHaveLength(1);

    // Staff: the gateway's amount is right for the mismatch; the ghost payment is explained.
    const staff = await makeCustomer(db(), { role: "staff" });
    await resolveBillDifference(db(), byKind.amount_mismatch!.id, staff.id, { action: "accept_gateway", note: "ledger typo" });
    expect((await db().select().from(payments).where(eq(payments.id, odd.payment.id)))[0]!.amountFen).toBe(5000);
    const done = await resolveBillDifference(db(), byKind.missing_at_gateway!.id, staff.id, {
      action: "explain",
      note: "paid in cash at the desk",
    });
    expect(done.status).toBe("matched");
    const g = done.gatewayTotals!;
    const l = done.ledgerTotals!;
    expect(l.paidFen! + l.explainedPaidFen!).toBe(g.paidFen);
    expect(l.refundedFen! + l.explainedRefundedFen!).toBe(g.refundedFen);
    await expect(
      resolveBillDifference(db(), byKind.amount_mismatch!.id, staff.id, { action: "explain", note: "twice" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    const corrected = await db().select().from(auditLog).where(eq(auditLog.entityId, odd.payment.id));
    expect(corrected.find((a) => a.action === "payment.amount_corrected")).toMatchObject({ actorId: staff.id, reason: "ledger typo" });
  });
});
