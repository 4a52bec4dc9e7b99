import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import {
  auditLog,
  bookingSeries,
  bookings,
  notifications,
  paymentEvents,
  payments,
  refunds,
  timeslots,
  type Service,
  type Timeslot,
} from "@/db/schema";
import { setupTestDb, usingPostgres } from "@/tests/db";
import { codeOf, makeCustomer, makeService, makeSlot } from "@/tests/fixtures";
import { serveFetch, type RunningServer } from "@/tests/serve-fetch";
import { handlePaymentNotify } from "./payments";
import { handleSandboxRequest, sandboxGatewayFromEnv } from "@/lib/payments/providers";
import { AppError } from "@/lib/errors";
import { bookSeries } from "./book-series";
import { cancelBooking } from "./cancel-booking";
import { loadSlotContext } from "./context";
import { createBooking } from "./create-booking";
import { takeSeats } from "./reserve";
import { startPayment } from "./pay-booking";
import { startSeriesPayment } from "./pay-series";
import { previewSeries } from "./preview-series";
import { getSeriesView } from "./series-queries";
import { bookCourse } from "./book-course";
import { courseRoster } from "./course-roster";
import { defineCourse } from "./define-course";
import { withMoneyStatus } from "./money-facts";

// The app's public URL is where the sandbox gateway sends its notifies: a local server stands in for it.
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
const WEEK = 7 * 86_400_000;

/** A paid service (¥80, ¥30 deposit) and `weeks` weekly slots from a random Tuesday-like instant far ahead; `missing` weeks get none. */
async function weeklySlots(weeks: number, opts: { missing?: number[]; capacity?: number } = {}) {
  const service = await makeService(db(), {
    priceFen: 8000,
    depositFen: 3000,
    capacity: opts.capacity ?? 1,
    kind: (opts.capacity ?? 1) > 1 ? "class" : "appointment",
    rules: { minNoticeMin: 0, maxAdvanceDays: 3650, holdMinutes: 15, payment: { mode: "deposit" } },
  });
  const first = new Date(Date.now() + (40 + Math.floor(Math.random() * 200)) * 86_400_000);
  first.setUTCHours(11, 0, 0, 0); // 19:00 in Shanghai
  const slots: (Timeslot | null)[] = [];
  for (let i = 0; i < weeks; i++) {
    slots.push(opts.missing?.includes(i) ? null : await makeSlot(db(), service, { startsAt: new Date(first.getTime() + i * WEEK) }));
  }
  return { service, slots };
}

const actorOf = (id: string) => ({ id, role: "customer" as const });
const bookedCount = async (slot: Timeslot) => (await db().select().from(timeslots).where(eq(timeslots.id, slot.id)))[0]!.bookedCount;
const seriesOf = (customerId: string) => db().select().from(bookingSeries).where(eq(bookingSeries.customerId, customerId));
const bookingsOf = (customerId: string) => db().select().from(bookings).where(eq(bookings.customerId, customerId));

async function takeLastSeat(service: Service, slot: Timeslot) {
  const other = await makeCustomer(db());
  return createBooking({ customerId: other.id, timeslotId: slot.id, seats: slot.capacity });
}

describe("weekly series", () => {
  it("the preview lists each week with why it cannot be had: full, no slot", async () => {
    const { service, slots } = await weeklySlots(4, { missing: [2] });
    await takeLastSeat(service, slots[1]!);
    const customer = await makeCustomer(db());
    const { occurrences } = await previewSeries(db(), { customerId: customer.id, timeslotId: slots[0]!.id, count: 4, locale: "en" });
    expect(occurrences.map((o) => [o.index, o.available, o.reason])).toEqual([
      [0, true, null],
      [1, false, "full"],
      [2, false, "no_slot"],
      [3, true, null],
    ]);
    expect(occurrences[2]!.startsAt).toBe(new Date(slots[0]!.startsAt.getTime() + 2 * WEEK).toISOString());
  });

  it("books the weeks not skipped together, each on hold for its deposit, one amount for the series", async () => {
    const { service, slots } = await weeklySlots(4);
    await takeLastSeat(service, slots[2]!);
    const customer = await makeCustomer(db());
    const made = await bookSeries({ customerId: customer.id, timeslotId: slots[0]!.id, count: 4, skip: [2], locale: "en" });
    expect(made.bookings.map((b) => b.timeslotId)).toEqual([slots[0]!.id, slots[1]!.id, slots[3]!.id]);
    expect(made.bookings.every((b) => b.status === "pending_payment" && b.amountDueFen === 3000)).toBe(true);
    const view = await getSeriesView(db(), made.series.id, actorOf(customer.id));
    expect(view).toMatchObject({ status: "pending_payment", amountDueFen: 9000, kind: "weekly" });
    expect(view.bookings).toHaveLength(3);
    expect(made.series.rule).toEqual({ every: "week", count: 4, skipped: [2] });
    // A week of the series is paid with the series, never alone.
    expect(await codeOf(startPayment({ bookingId: made.bookings[0]!.id, actor: actorOf(customer.id), provider: "sandbox" }))).toBe(
      "INVALID_STATE",
    );
    // Someone else's series is not found.
    expect(await codeOf(getSeriesView(db(), made.series.id, actorOf((await makeCustomer(db())).id)))).toBe("NOT_FOUND");
  });

  it("all or nothing: an unavailable week not skipped books nothing and the answer names it", async () => {
    const { service, slots } = await weeklySlots(4);
    await takeLastSeat(service, slots[1]!);
    const customer = await makeCustomer(db());
    const err = await bookSeries({ customerId: customer.id, timeslotId: slots[0]!.id, count: 4, locale: "en" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("SLOT_FULL");
    expect((err as AppError).details).toEqual({
      occurrences: [expect.objectContaining({ index: 1, reason: "full", timeslotId: slots[1]!.id })],
    });
    expect(await seriesOf(customer.id)).toHaveLength(0);
    expect(await bookingsOf(customer.id)).toHaveLength(0);
    expect(await bookedCount(slots[0]!)).toBe(0);
  });

  it("a week's last seat taken in parallel: either the series got it all or nothing of it is booked", async () => {
    const { slots } = await weeklySlots(4);
    const customer = await makeCustomer(db());
    const rival = await makeCustomer(db());
    const [series, single] = await Promise.allSettled([
      bookSeries({ customerId: customer.id, timeslotId: slots[0]!.id, count: 4, locale: "en" }),
      createBooking({ customerId: rival.id, timeslotId: slots[2]!.id }),
    ]);
    expect([series.status, single.status].sort()).toEqual(["fulfilled", "rejected"]);
    const mine = await bookingsOf(customer.id);
    if (series.status === "fulfilled") {
      expect(mine).toHaveLength(4);
      expect((single as PromiseRejectedResult).reason).toMatchObject({ code: "SLOT_FULL" });
    } else {
      expect(series.reason).toMatchObject({ code: "SLOT_FULL" });
      expect(mine).toHaveLength(0);
      for (const i of [0, 1, 3]) expect(await bookedCount(slots[i]!)).toBe(0);
    }
    expect(await bookedCount(slots[2]!)).toBe(1);
  });

  it.runIf(usingPostgres())("the last seat of week 3 taken while the series is confirming rolls every week back", async () => {
    const { slots } = await weeklySlots(4);
    const customer = await makeCustomer(db());
    let confirming: Promise<unknown> | undefined;
    let settled = false;
    // Another booking's transaction holds week 3's row until the series is waiting on it.
    await db().transaction(async (tx) => {
      // Its transaction has taken week 3's seat (the conditional update every booking makes) and not committed yet.
      await takeSeats(tx, await loadSlotContext(tx, slots[2]!.id), 1);
      confirming = bookSeries({ customerId: customer.id, timeslotId: slots[0]!.id, count: 4, locale: "en" }).then(
        () => null,
        (e: unknown) => e,
      );
      void confirming.finally(() => (settled = true));
      // The series books weeks 1 and 2, then waits for week 3's row lock.
      await vi.waitFor(
        async () => {
          const rows = (await db().execute(sql`select count(*)::int as n from pg_locks where not granted`)) as unknown as { n: number }[];
          expect(Number(rows[0]?.n ?? 0)).toBeGreaterThan(0);
        },
        { timeout: 10_000, interval: 50 },
      );
      expect(settled).toBe(false);
    });
    const err = await confirming!;
    expect(err).toMatchObject({ code: "SLOT_FULL", details: { occurrences: [expect.objectContaining({ index: 2 })] } });
    expect(await bookingsOf(customer.id)).toHaveLength(0);
    expect(await seriesOf(customer.id)).toHaveLength(0);
    for (const i of [0, 1, 3]) expect(await bookedCount(slots[i]!)).toBe(0);
    expect(await bookedCount(slots[2]!)).toBe(1);
  });
});

describe.each(["alipay", "wechat"] as const)("a series paid once through %s", (provider) => {
  it("one payment confirms every week, exactly once however often the notice is redelivered; a week cancelled refunds its share", async () => {
    const { slots } = await weeklySlots(4, { capacity: 3 });
    const customer = await makeCustomer(db());
    const actor = actorOf(customer.id);
    const made = await bookSeries({ customerId: customer.id, timeslotId: slots[0]!.id, count: 4, skip: [1], locale: "en" });
    const ids = made.bookings.map((b) => b.id);
    const { payment } = await startSeriesPayment({ seriesId: made.series.id, actor, provider, channel: "qr" });
    expect(payment).toMatchObject({ amountFen: 9000, bookingId: null, status: "pending" });

    await sandboxGatewayFromEnv().approve(payment.outTradeNo);
    const rows = await db().select().from(bookings).where(inArray(bookings.id, ids));
    expect(rows.map((b) => b.status)).toEqual(["confirmed", "confirmed", "confirmed"]);
    const received = async () =>
      (
        await db()
          .select()
          .from(notifications)
          .where(and(inArray(notifications.bookingId, ids), eq(notifications.type, "payment_received")))
      ).length;
    const messages = await received();
    expect(messages).toBeGreaterThan(0);

    for (let i = 0; i < 5; i++) expect((await sandboxGatewayFromEnv().redeliver(payment.outTradeNo)).status).toBeLessThan(300);
    expect(await db().select().from(paymentEvents).where(eq(paymentEvents.paymentId, payment.id))).toHaveLength(1);
    expect(await received()).toBe(messages);
    const confirmations = await db()
      .select()
      .from(auditLog)
      .where(and(inArray(auditLog.entityId, ids), eq(auditLog.action, "booking.confirmed")));
    expect(confirmations).toHaveLength(3);
    expect(await codeOf(startSeriesPayment({ seriesId: made.series.id, actor, provider }))).toBe("ALREADY_PAID");
    // Each week holds its deposit from the one payment: ¥50 of ¥80 left to pay, not the whole price.
    const weeks = await withMoneyStatus(db(), rows);
    expect(weeks.map((w) => [w.balance.paidFen, w.balance.balanceFen, w.money.kind])).toEqual([
      [3000, 5000, "depositPaid"],
      [3000, 5000, "depositPaid"],
      [3000, 5000, "depositPaid"],
    ]);

    // Cancelling one week (far ahead: the full refund tier) refunds that week's deposit from the series payment.
    const cancelled = await cancelBooking({ bookingId: ids[1]!, actor });
    expect(cancelled.refundFen).toBe(3000);
    const back = await db().select().from(refunds).where(eq(refunds.paymentId, payment.id));
    expect(back.map((r) => [r.bookingId, r.amountFen])).toEqual([[ids[1], 3000]]);
    // The same week cannot be refunded twice; the others still hold their share.
    expect(await codeOf(cancelBooking({ bookingId: ids[1]!, actor }))).toBe("INVALID_STATE");
    const again = await cancelBooking({ bookingId: ids[2]!, actor });
    expect(again.refundFen).toBe(3000);
    expect((await db().select().from(payments).where(eq(payments.id, payment.id)))[0]!.status).not.toBe("pending");
  });
});

describe("a course: sessions sold together, one payment, one roster", () => {
  it("staff define it on a class service; buyers get every session or none; the roster lists each buyer's sessions", async () => {
    const service = await makeService(db(), {
      kind: "class",
      capacity: 2,
      priceFen: 5000,
      rules: { minNoticeMin: 0, maxAdvanceDays: 3650, holdMinutes: 15, payment: { mode: "full" } },
    });
    const start = Date.now() + (40 + Math.floor(Math.random() * 200)) * 86_400_000;
    const sessions = [];
    for (let i = 0; i < 3; i++) sessions.push(await makeSlot(db(), service, { startsAt: new Date(start + i * 2 * 86_400_000) }));
    const staff = await makeCustomer(db(), { role: "staff" });
    const staffActor = { id: staff.id, role: "staff" as const };
    // Only a class service's own open sessions make a course.
    const single = await makeService(db());
    expect(await codeOf(defineCourse(db(), staffActor, { serviceId: single.id, name: "x", timeslotIds: sessions.map((s) => s.id) }))).toBe(
      "VALIDATION_FAILED",
    );
    const course = await defineCourse(db(), staffActor, {
      serviceId: service.id,
      name: "八周瑜伽",
      timeslotIds: sessions.map((s) => s.id).reverse(),
    });
    expect(course.sessions.map((s) => s.timeslotId)).toEqual(sessions.map((s) => s.id));

    const [ann, bob, cat] = [await makeCustomer(db()), await makeCustomer(db()), await makeCustomer(db())];
    const bought = await bookCourse({ customerId: ann.id, courseId: course.id, locale: "en" });
    expect(bought.series).toMatchObject({ kind: "course", courseId: course.id });
    expect(bought.bookings.map((b) => b.timeslotId)).toEqual(sessions.map((s) => s.id));
    const view = await getSeriesView(db(), bought.series.id, actorOf(ann.id));
    expect(view.amountDueFen).toBe(15000);
    const { payment } = await startSeriesPayment({ seriesId: bought.series.id, actor: actorOf(ann.id), provider: "alipay", channel: "qr" });
    expect(payment.amountFen).toBe(15000);
    await sandboxGatewayFromEnv().approve(payment.outTradeNo);

    // The last seat of the second session goes to a single booking: the next buyer gets nothing at all.
    await createBooking({ customerId: bob.id, timeslotId: sessions[1]!.id });
    const err = await bookCourse({ customerId: cat.id, courseId: course.id, locale: "en" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "SLOT_FULL", details: { occurrences: [expect.objectContaining({ index: 1 })] } });
    expect(await bookingsOf(cat.id)).toHaveLength(0);
    expect(await bookedCount(sessions[0]!)).toBe(1);

    const roster = await courseRoster(db(), course.id);
    expect(roster.participants).toEqual([
      expect.objectContaining({ customerId: ann.id, sessions: ["confirmed", "confirmed", "confirmed"] }),
    ]);
  });
});
