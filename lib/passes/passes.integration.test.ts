import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST as cancelRoute } from "@/app/api/v1/bookings/[id]/cancel/route";
import { POST as bookRoute } from "@/app/api/v1/bookings/route";
import { GET as myPassesRoute } from "@/app/api/v1/me/passes/route";
import { getDb } from "@/db/client";
import { coupons, passes, passTransactions, timeslots } from "@/db/schema";
import { issueApiToken } from "@/lib/auth/api-tokens";
import { setupTestDb, uniq } from "@/tests/db";
import { ensureBusiness, makeCustomer, makeService, makeSlot } from "@/tests/fixtures";
import { callRoute } from "@/tests/routes";
import { adjustPass, passRefundFen, refundPass } from "./adjust-pass";
import { expireHolds } from "@/lib/booking/expire-holds";
import { rescheduleBooking } from "@/lib/booking/reschedule-booking";
import { passHistory } from "./queries";
import { saveCoupon, savePassPlan } from "./save-plan";
import { sellPassAtDesk } from "./sell-pass";

setupTestDb();

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function customerWithToken() {
  const customer = await makeCustomer(getDb());
  return { customer, token: (await issueApiToken(customer.id)).token };
}

async function staff() {
  return makeCustomer(getDb(), { role: "staff" });
}

/** POST /api/v1/bookings over the route handler, each call from its own address. */
async function book(token: string, body: Json): Promise<{ status: number; json: Json }> {
  const res = await callRoute(bookRoute, { path: "/api/v1/bookings", ip: uniq("ip"), token, body, headers: { "accept-language": "en" } });
  return { status: res.status, json: await res.json() };
}

async function cancel(token: string, bookingId: string): Promise<{ status: number; json: Json }> {
  const res = await callRoute(cancelRoute, {
    path: `/api/v1/bookings/${bookingId}/cancel`,
    ip: uniq("ip"),
    token,
    body: {},
    params: { id: bookingId },
  });
  return { status: res.status, json: await res.json() };
}

async function myPasses(token: string): Promise<Json[]> {
  const res = await callRoute(myPassesRoute, { path: "/api/v1/me/passes", ip: uniq("ip"), token });
  expect(res.status).toBe(200);
  return (await res.json()).passes;
}

const passRow = async (id: string) => (await getDb().select().from(passes).where(eq(passes.id, id)))[0]!;

/** A paid service (¥88, no deposit: the full price is due) with `n` slots far ahead. */
async function paidServiceWithSlots(n: number, priceFen = 8800) {
  const db = getDb();
  const service = await makeService(db, { priceFen, capacity: 1 });
  const slots = [];
  for (let i = 0; i < n; i++) slots.push(await makeSlot(db, service));
  return { service, slots };
}

async function sellPlan(
  customerId: string,
  plan: Parameters<typeof savePassPlan>[0] extends infer P ? Omit<P, "businessId" | "actorId"> : never,
) {
  const business = await ensureBusiness(getDb());
  const clerk = await staff();
  const saved = await savePassPlan({ ...plan, businessId: business.id, actorId: clerk.id });
  return (await sellPassAtDesk({ planId: saved.id, customerId, method: "cash", actorId: clerk.id })).pass;
}

describe("visits card (次卡) over HTTP", () => {
  it("three bookings at ¥0, the fourth refused with the reason, a cancellation gives the visit back", async () => {
    const { customer, token } = await customerWithToken();
    const { service, slots } = await paidServiceWithSlots(5);
    const pass = await sellPlan(customer.id, {
      kind: "visits",
      name: uniq("3次卡"),
      priceFen: 20000,
      visits: 3,
      bonusFen: 0,
      discountPercent: null,
      serviceIds: [service.id],
      validDays: 90,
      active: true,
    });
    expect(await myPasses(token)).toEqual([
      expect.objectContaining({ id: pass.id, kind: "visits", remainingUses: 3, serviceIds: [service.id], expiresAt: expect.any(String) }),
    ]);

    const made = [];
    for (const slot of slots.slice(0, 3)) {
      const r = await book(token, { timeslotId: slot.id, passId: pass.id });
      expect(r.status).toBe(201);
      expect(r.json.booking).toMatchObject({ status: "confirmed", amountDueFen: 0, priceFen: 8800 });
      made.push(r.json.booking);
    }
    const fourth = await book(token, { timeslotId: slots[3]!.id, passId: pass.id });
    expect(fourth.status).toBe(422);
    expect(fourth.json.error).toMatchObject({ code: "RULE_VIOLATION", message: "This card has 0 visits left, this booking needs 1" });
    expect(fourth.json.error.details.violations[0].rule).toBe("pass_used_up");
    // The refused booking left nothing: its seat is free.
    expect((await getDb().select().from(timeslots).where(eq(timeslots.id, slots[3]!.id)))[0]!.bookedCount).toBe(0);
    expect((await myPasses(token))[0]).toMatchObject({ remainingUses: 0 });

    expect((await cancel(token, made[0].id)).status).toBe(200);
    expect((await passRow(pass.id)).remainingUses).toBe(1);
    // Cancelling twice gives nothing more back.
    expect((await cancel(token, made[0].id)).status).toBe(409);
    expect((await passRow(pass.id)).remainingUses).toBe(1);
    const again = await book(token, { timeslotId: slots[3]!.id, passId: pass.id });
    expect(again.status).toBe(201);
    expect((await passRow(pass.id)).remainingUses).toBe(0);

    const history = await passHistory(getDb(), { passId: pass.id });
    expect(history.map((h) => h.kind).sort()).toEqual(["return", "sale", "use", "use", "use", "use"]);
  });

  it("a burst of 10 parallel bookings cannot overdraw a 3-visit card", async () => {
    const { customer, token } = await customerWithToken();
    const { service, slots } = await paidServiceWithSlots(10);
    const pass = await sellPlan(customer.id, {
      kind: "visits",
      name: uniq("3次卡"),
      priceFen: 20000,
      visits: 3,
      bonusFen: 0,
      discountPercent: null,
      serviceIds: [],
      validDays: null,
      active: true,
    });
    const results = await Promise.all(slots.map((s) => book(token, { timeslotId: s.id, passId: pass.id })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(7);
    for (const r of refused) expect(r.json.error.code).toBe("RULE_VIOLATION");
    expect((await passRow(pass.id)).remainingUses).toBe(0);
    const uses = await getDb().select().from(passTransactions).where(eq(passTransactions.passId, pass.id));
    expect(uses.filter((u) => u.kind === "use")).toHaveLength(3);
    // Only the three winners hold seats.
    const booked = await getDb().select({ n: timeslots.bookedCount }).from(timeslots).where(eq(timeslots.serviceId, service.id));
    expect(booked.reduce((a, b) => a + b.n, 0)).toBe(3);
  });

  it("refuses another customer's card, another service, and an expired card", async () => {
    const { customer, token } = await customerWithToken();
    const other = await customerWithToken();
    const { service, slots } = await paidServiceWithSlots(3);
    const elsewhere = await makeService(getDb(), { priceFen: 100 });
    const pass = await sellPlan(customer.id, {
      kind: "visits",
      name: uniq("卡"),
      priceFen: 100,
      visits: 5,
      bonusFen: 0,
      discountPercent: null,
      serviceIds: [service.id],
      validDays: 30,
      active: true,
    });
    expect((await book(other.token, { timeslotId: slots[0]!.id, passId: pass.id })).status).toBe(404);
    const wrong = await book(token, { timeslotId: (await makeSlot(getDb(), elsewhere)).id, passId: pass.id });
    expect(wrong.json.error.details.violations[0].rule).toBe("pass_not_for_service");
    await getDb()
      .update(passes)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(passes.id, pass.id));
    const expired = await book(token, { timeslotId: slots[1]!.id, passId: pass.id });
    expect(expired.json.error).toMatchObject({ code: "RULE_VIOLATION", message: "This card has expired" });
    expect((await passRow(pass.id)).remainingUses).toBe(5);
  });
});

describe("stored value (储值卡) over HTTP", () => {
  it("takes the price from the balance, refuses a short balance, gives it back on cancel; a burst cannot overdraw", async () => {
    const { customer, token } = await customerWithToken();
    const { slots } = await paidServiceWithSlots(14, 10000);
    // ¥250 + ¥50 bonus = ¥300: three ¥100 bookings.
    const pass = await sellPlan(customer.id, {
      kind: "value",
      name: uniq("储值卡"),
      priceFen: 25000,
      visits: null,
      bonusFen: 5000,
      discountPercent: null,
      serviceIds: [],
      validDays: 365,
      active: true,
    });
    expect((await myPasses(token))[0]).toMatchObject({ kind: "value", balanceFen: 30000 });
    const first = await book(token, { timeslotId: slots[0]!.id, passId: pass.id });
    expect(first.json.booking).toMatchObject({ status: "confirmed", amountDueFen: 0, priceFen: 10000 });
    expect((await passRow(pass.id)).balanceFen).toBe(20000);
    expect((await cancel(token, first.json.booking.id)).status).toBe(200);
    expect((await passRow(pass.id)).balanceFen).toBe(30000);

    const burst = await Promise.all(slots.slice(1, 11).map((s) => book(token, { timeslotId: s.id, passId: pass.id })));
    expect(burst.filter((r) => r.status === 201)).toHaveLength(3);
    expect((await passRow(pass.id)).balanceFen).toBe(0);
    const short = await book(token, { timeslotId: slots[11]!.id, passId: pass.id });
    expect(short.status).toBe(422);
    expect(short.json.error.message).toBe("The card balance ¥0.00 is less than the ¥100.00 this booking costs");

    // Staff top it up by ¥50 with a reason: still short of ¥100; taking back more than it holds is refused.
    const clerk = await staff();
    await adjustPass({ passId: pass.id, usesDelta: 0, valueDeltaFen: 5000, reason: "compensation", actorId: clerk.id });
    expect((await book(token, { timeslotId: slots[11]!.id, passId: pass.id })).json.error.details.violations[0].rule).toBe(
      "pass_balance_low",
    );
    await expect(adjustPass({ passId: pass.id, usesDelta: 0, valueDeltaFen: -6000, reason: "typo", actorId: clerk.id })).rejects.toThrow(
      "卡内没有这么多",
    );
    expect((await passRow(pass.id)).balanceFen).toBe(5000);
  });
});

describe("membership (会员卡)", () => {
  it("takes its percent off the price and the amount due", async () => {
    const { customer, token } = await customerWithToken();
    const { slots } = await paidServiceWithSlots(1, 10000);
    const pass = await sellPlan(customer.id, {
      kind: "membership",
      name: uniq("会员卡"),
      priceFen: 99900,
      visits: null,
      bonusFen: 0,
      discountPercent: 20,
      serviceIds: [],
      validDays: 365,
      active: true,
    });
    const r = await book(token, { timeslotId: slots[0]!.id, passId: pass.id });
    expect(r.json.booking).toMatchObject({ status: "pending_payment", priceFen: 8000, amountDueFen: 8000 });
  });
});

describe("coupons (优惠券) over HTTP", () => {
  it("a coupon limited to 5 uses is used exactly 5 times by a burst of 20, and a cancellation frees one", async () => {
    const db = getDb();
    const business = await ensureBusiness(db);
    const clerk = await staff();
    const { service, slots } = await paidServiceWithSlots(21, 10000);
    const code = uniq("SAVE").toUpperCase();
    const coupon = await saveCoupon({
      code,
      kind: "fixed",
      amountFen: 3000,
      percent: null,
      serviceIds: [service.id],
      maxUses: 5,
      maxUsesPerCustomer: 1,
      expiresAt: null,
      active: true,
      businessId: business.id,
      actorId: clerk.id,
    });
    const customers = await Promise.all(Array.from({ length: 21 }, () => customerWithToken()));
    const results = await Promise.all(
      customers.slice(0, 20).map((c, i) => book(c.token, { timeslotId: slots[i]!.id, couponCode: code.toLowerCase() })),
    );
    const ok = results.filter((r) => r.status === 201);
    expect(ok).toHaveLength(5);
    for (const r of ok) expect(r.json.booking).toMatchObject({ status: "pending_payment", priceFen: 7000, amountDueFen: 7000 });
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(15);
    for (const r of refused) expect(r.json.error).toMatchObject({ code: "RULE_VIOLATION", message: "This coupon has been used up" });
    expect((await db.select().from(coupons).where(eq(coupons.id, coupon.id)))[0]!.usedCount).toBe(5);

    const winner = customers[results.findIndex((r) => r.status === 201)]!;
    expect((await cancel(winner.token, ok[0]!.json.booking.id)).status).toBe(200);
    expect((await db.select().from(coupons).where(eq(coupons.id, coupon.id)))[0]!.usedCount).toBe(4);
    const late = await book(customers[20]!.token, { timeslotId: slots[20]!.id, couponCode: code });
    expect(late.status).toBe(201);
    expect((await db.select().from(coupons).where(eq(coupons.id, coupon.id)))[0]!.usedCount).toBe(5);
  });

  it("per customer limit, expiry, wrong service, and an unpaid hold that expires gives the use back", async () => {
    const db = getDb();
    const business = await ensureBusiness(db);
    const clerk = await staff();
    const { service, slots } = await paidServiceWithSlots(4, 10000);
    const code = uniq("HALF").toUpperCase();
    const coupon = await saveCoupon({
      code,
      kind: "percent",
      amountFen: null,
      percent: 50,
      serviceIds: [service.id],
      maxUses: null,
      maxUsesPerCustomer: 1,
      expiresAt: null,
      active: true,
      businessId: business.id,
      actorId: clerk.id,
    });
    const { token } = await customerWithToken();
    const first = await book(token, { timeslotId: slots[0]!.id, couponCode: code });
    expect(first.json.booking).toMatchObject({ priceFen: 5000, amountDueFen: 5000 });
    const second = await book(token, { timeslotId: slots[1]!.id, couponCode: code });
    expect(second.json.error.details.violations[0].rule).toBe("coupon_customer_limit");
    const unknown = await book(token, { timeslotId: slots[1]!.id, couponCode: "NOPE-NOPE" });
    expect(unknown.json.error.message).toBe("This coupon code is not valid");

    // The hold runs out unpaid: the use comes back, so the customer may use it again.
    await expireHolds(new Date(Date.now() + 24 * 3_600_000));
    expect((await db.select().from(coupons).where(eq(coupons.id, coupon.id)))[0]!.usedCount).toBe(0);
    expect((await book(token, { timeslotId: slots[2]!.id, couponCode: code })).status).toBe(201);

    await saveCoupon({
      id: coupon.id,
      code,
      kind: "percent",
      amountFen: null,
      percent: 50,
      serviceIds: [service.id],
      maxUses: null,
      maxUsesPerCustomer: 1,
      expiresAt: new Date(Date.now() - 1000),
      active: true,
      businessId: business.id,
      actorId: clerk.id,
    });
    const other = await customerWithToken();
    expect((await book(other.token, { timeslotId: slots[3]!.id, couponCode: code })).json.error.details.violations[0].rule).toBe(
      "coupon_expired",
    );
  });
});

describe("refund of a card", () => {
  it("refunds unused visits pro rata and closes the card", async () => {
    const { customer, token } = await customerWithToken();
    const { slots } = await paidServiceWithSlots(1);
    const pass = await sellPlan(customer.id, {
      kind: "visits",
      name: uniq("10次卡"),
      priceFen: 100000,
      visits: 10,
      bonusFen: 0,
      discountPercent: null,
      serviceIds: [],
      validDays: null,
      active: true,
    });
    expect((await book(token, { timeslotId: slots[0]!.id, passId: pass.id })).status).toBe(201);
    expect(passRefundFen(await passRow(pass.id))).toBe(90000);
    const clerk = await staff();
    const { refundFen } = await refundPass({ passId: pass.id, method: "cash", reason: "moving away", actorId: clerk.id });
    expect(refundFen).toBe(90000);
    expect(await passRow(pass.id)).toMatchObject({ status: "refunded", remainingUses: 0 });
    expect((await myPasses(token))[0]).toMatchObject({ id: pass.id, state: "refunded" });
  });
});

describe("a rescheduled booking keeps its card use", () => {
  it("moves the use to the new booking; cancelling that one gives the visit back", async () => {
    const { customer, token } = await customerWithToken();
    const { slots } = await paidServiceWithSlots(2);
    const pass = await sellPlan(customer.id, {
      kind: "visits",
      name: uniq("卡"),
      priceFen: 100,
      visits: 2,
      bonusFen: 0,
      discountPercent: null,
      serviceIds: [],
      validDays: null,
      active: true,
    });
    const first = await book(token, { timeslotId: slots[0]!.id, passId: pass.id });
    expect(first.status).toBe(201);
    const moved = await rescheduleBooking({
      bookingId: first.json.booking.id,
      timeslotId: slots[1]!.id,
      actor: { id: customer.id, role: "customer" },
    });
    expect((await passRow(pass.id)).remainingUses).toBe(1);
    expect((await cancel(token, moved.id)).status).toBe(200);
    expect((await passRow(pass.id)).remainingUses).toBe(2);
  });
});
