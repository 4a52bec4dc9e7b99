import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { bookings, payments, resourceBusy, timeslots } from "@/db/schema";
import { createCache, getCache } from "@/lib/cache";
import { AppError } from "@/lib/errors";
import { setupTestDb, uniq } from "@/tests/db";
import { codeOf, makeCustomer, makeResource, makeService, makeSlot } from "@/tests/fixtures";
import { getAvailability } from "./availability";
import { cancelBooking } from "./cancel-booking";
import { createBooking } from "./create-booking";
import { expireHolds } from "./expire-holds";
import { listCustomerBookings, liveBookingId } from "./queries";
import { rescheduleBooking, retiredCode } from "./reschedule-booking";
import { checkInBooking } from "./staff-transitions";

setupTestDb();

const slotRow = async (id: string) => (await getDb().select().from(timeslots).where(eq(timeslots.id, id)))[0]!;

describe("reservation", () => {
  it("confirms a free booking and holds a paid one until its deadline", async () => {
    const db = getDb();
    const customer = await makeCustomer(db);
    const free = await makeService(db);
    const paid = await makeService(db, {
      priceFen: 8800,
      depositFen: 2000,
      rules: { minNoticeMin: 0, maxAdvanceDays: 3650, holdMinutes: 10 },
    });
    const now = new Date();
    const a = await createBooking({ customerId: customer.id, timeslotId: (await makeSlot(db, free)).id, now });
    expect(a).toMatchObject({ status: "confirmed", amountDueFen: 0, holdExpiresAt: null });
    expect(a.code).toMatch(/^[2-9A-Z]{8}$/);
    const b = await createBooking({ customerId: customer.id, timeslotId: (await makeSlot(db, paid)).id, now });
    expect(b).toMatchObject({ status: "pending_payment", amountDueFen: 2000, priceFen: 8800 });
    expect(new Date(b.holdExpiresAt!).getTime()).toBe(now.getTime() + 10 * 60_000);
  });

  it("never sells more seats than the slot has, even all at once", async () => {
    const db = getDb();
    const service = await makeService(db, { capacity: 3, kind: "class" });
    const slot = await makeSlot(db, service);
    const customers = await Promise.all(Array.from({ length: 12 }, () => makeCustomer(db)));
    const results = await Promise.all(customers.map((c) => codeOf(createBooking({ customerId: c.id, timeslotId: slot.id }))));
    expect(results.filter((r) => r === "OK")).toHaveLength(3);
    expect(results.filter((r) => r === "SLOT_FULL")).toHaveLength(9);
    expect((await slotRow(slot.id)).bookedCount).toBe(3);
  });

  it("takes several seats of a class at once and refuses more than remain", async () => {
    const db = getDb();
    const service = await makeService(db, { capacity: 8, kind: "class" });
    const slot = await makeSlot(db, service);
    await createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: slot.id, seats: 6 });
    expect(await codeOf(createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: slot.id, seats: 3 }))).toBe("SLOT_FULL");
    await createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: slot.id, seats: 2 });
    expect((await slotRow(slot.id)).bookedCount).toBe(8);
  });

  it("keeps a staff member in one place across services, buffers included", async () => {
    const db = getDb();
    const doctor = await makeResource(db);
    const massage = await makeService(db, { resourceId: doctor.id, durationMin: 60, bufferAfterMin: 15 });
    const consult = await makeService(db, { resourceId: doctor.id, durationMin: 20 });
    const s1 = await makeSlot(db, massage);
    // Starts 10 minutes after the massage ends: inside its 15-minute buffer.
    const s2 = await makeSlot(db, consult, { startsAt: new Date(s1.endsAt.getTime() + 10 * 60_000) });
    const s3 = await makeSlot(db, consult, { startsAt: new Date(s1.endsAt.getTime() + 15 * 60_000) });
    const [r1, r2] = await Promise.all([
      codeOf(createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: s1.id })),
      codeOf(createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: s2.id })),
    ]);
    expect([r1, r2].sort()).toEqual(["OK", "RESOURCE_BUSY"]);
    // s3 starts exactly where the massage's buffer ends, but overlaps the consultation at s2.
    expect(await codeOf(createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: s3.id }))).toBe(
      r1 === "OK" ? "OK" : "RESOURCE_BUSY",
    );
    // The loser left nothing behind: its seat is free again.
    const loser = r1 === "OK" ? s2 : s1;
    expect((await slotRow(loser.id)).bookedCount).toBe(0);
  });

  it("lets a class's seats share one room interval", async () => {
    const db = getDb();
    const room = await makeResource(db, "room");
    const yoga = await makeService(db, { resourceId: room.id, capacity: 8, kind: "class" });
    const slot = await makeSlot(db, yoga);
    for (let i = 0; i < 3; i++) await createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: slot.id });
    const rows = await db.select().from(resourceBusy).where(eq(resourceBusy.timeslotId, slot.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.active).toBe(true);
  });

  it("returns the same booking for a repeated Idempotency-Key", async () => {
    const db = getDb();
    const customer = await makeCustomer(db);
    const service = await makeService(db, { capacity: 5, kind: "class" });
    const slot = await makeSlot(db, service);
    const key = uniq("idem");
    const [a, b] = await Promise.all([
      createBooking({ customerId: customer.id, timeslotId: slot.id, idempotencyKey: key }),
      createBooking({ customerId: customer.id, timeslotId: slot.id, idempotencyKey: key }),
    ]);
    const c = await createBooking({ customerId: customer.id, timeslotId: slot.id, idempotencyKey: key });
    expect(new Set([a.id, b.id, c.id]).size).toBe(1);
    expect((await slotRow(slot.id)).bookedCount).toBe(1);
  });

  it("reports every violated rule at once and books nothing", async () => {
    const db = getDb();
    const customer = await makeCustomer(db);
    const service = await makeService(db, { rules: { minNoticeMin: 120, maxAdvanceDays: 3650, allowedGroups: ["member"] } });
    const slot = await makeSlot(db, service, { startsAt: new Date(Date.now() + 30 * 60_000) });
    const err = await createBooking({ customerId: customer.id, timeslotId: slot.id }).catch((e: AppError) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("RULE_VIOLATION");
    const rules = ((err as AppError).details as { violations: { rule: string }[] }).violations.map((v) => v.rule);
    expect(rules).toEqual(expect.arrayContaining(["min_notice", "group_restricted_service"]));
    expect((await slotRow(slot.id)).bookedCount).toBe(0);
  });

  it("holds one customer's parallel burst to the per-customer limits", async () => {
    const db = getDb();
    const customer = await makeCustomer(db);
    const service = await makeService(db, { rules: { minNoticeMin: 0, maxAdvanceDays: 3650, maxActiveBookingsPerCustomer: 5 } });
    const slots = await Promise.all(Array.from({ length: 15 }, () => makeSlot(db, service)));
    const results = await Promise.all(slots.map((s) => codeOf(createBooking({ customerId: customer.id, timeslotId: s.id }))));
    expect(results.filter((r) => r === "OK")).toHaveLength(5);
    expect(results.filter((r) => r === "RULE_VIOLATION")).toHaveLength(10);
    const mine = await db.select().from(bookings).where(eq(bookings.customerId, customer.id));
    expect(mine).toHaveLength(5);

    const perDay = await makeService(db, { rules: { minNoticeMin: 0, maxAdvanceDays: 3650, maxBookingsPerCustomerPerDay: 2 } });
    const date = new Date(Date.now() + (40 + Math.floor(Math.random() * 200)) * 86_400_000).toISOString().slice(0, 10);
    const sameDay = await Promise.all(
      Array.from({ length: 6 }, (_, i) => makeSlot(db, perDay, { startsAt: new Date(`${date}T0${i + 1}:00:00Z`) })),
    );
    const other = await makeCustomer(db);
    const dayResults = await Promise.all(sameDay.map((s) => codeOf(createBooking({ customerId: other.id, timeslotId: s.id }))));
    expect(dayResults.filter((r) => r === "OK")).toHaveLength(2);
  });

  it("validates the service's custom fields on the server", async () => {
    const db = getDb();
    const service = await makeService(db, {
      fields: [{ key: "phone", type: "phone", label: { "zh-CN": "手机", en: "Phone" }, required: true }],
    });
    const slot = await makeSlot(db, service);
    const customer = await makeCustomer(db);
    expect(await codeOf(createBooking({ customerId: customer.id, timeslotId: slot.id, fields: { phone: "123" } }))).toBe(
      "VALIDATION_FAILED",
    );
    const ok = await createBooking({ customerId: customer.id, timeslotId: slot.id, fields: { phone: "+86 138-0013-8000", extra: "x" } });
    expect(ok.fields).toEqual({ phone: "13800138000" });
  });
});

describe("cancel, reschedule, expiry", () => {
  it("cancels within policy with the tiered refund and frees the seat", async () => {
    const db = getDb();
    const customer = await makeCustomer(db);
    const service = await makeService(db, { priceFen: 8801, rules: { minNoticeMin: 0, maxAdvanceDays: 3650, payment: { mode: "full" } } });
    // 10 hours ahead: the 2–24 h tier refunds 50%.
    const slot = await makeSlot(db, service, { startsAt: new Date(Date.now() + 10 * 3_600_000) });
    const booking = await createBooking({ customerId: customer.id, timeslotId: slot.id });
    await db
      .insert(payments)
      .values({ bookingId: booking.id, provider: "sandbox", outTradeNo: uniq("T"), amountFen: 8801, status: "paid", paidAt: new Date() });
    await db.update(bookings).set({ status: "confirmed" }).where(eq(bookings.id, booking.id));
    const result = await cancelBooking({ bookingId: booking.id, actor: { id: customer.id, role: "customer" }, reason: "plans changed" });
    expect(result.booking.status).toBe("cancelled");
    expect(result.refundFen).toBe(4401);
    expect((await slotRow(slot.id)).bookedCount).toBe(0);
    expect(await codeOf(cancelBooking({ bookingId: booking.id, actor: { id: customer.id, role: "customer" } }))).toBe("INVALID_STATE");
  });

  it("refuses a customer past the deadline and other customers entirely; staff may cancel", async () => {
    const db = getDb();
    const customer = await makeCustomer(db);
    const service = await makeService(db, { rules: { minNoticeMin: 0, maxAdvanceDays: 3650, cancelDeadlineHours: 24 } });
    const slot = await makeSlot(db, service, { startsAt: new Date(Date.now() + 5 * 3_600_000) });
    const booking = await createBooking({ customerId: customer.id, timeslotId: slot.id });
    const stranger = await makeCustomer(db);
    expect(await codeOf(cancelBooking({ bookingId: booking.id, actor: { id: stranger.id, role: "customer" } }))).toBe("NOT_FOUND");
    expect(await codeOf(cancelBooking({ bookingId: booking.id, actor: { id: customer.id, role: "customer" } }))).toBe("RULE_VIOLATION");
    expect(await codeOf(cancelBooking({ bookingId: booking.id, actor: { id: stranger.id, role: "staff" } }))).toBe("OK");
  });

  it("reschedules in one transaction, moving seats and payments", async () => {
    const db = getDb();
    const customer = await makeCustomer(db);
    const service = await makeService(db, { priceFen: 5000, rules: { minNoticeMin: 0, maxAdvanceDays: 3650, payment: { mode: "full" } } });
    const from = await makeSlot(db, service);
    const to = await makeSlot(db, service);
    const taken = await makeSlot(db, service);
    const booking = await createBooking({ customerId: customer.id, timeslotId: from.id });
    const [pay] = await db
      .insert(payments)
      .values({ bookingId: booking.id, provider: "sandbox", outTradeNo: uniq("T"), amountFen: 5000, status: "paid" })
      .returning();
    await db.update(bookings).set({ status: "confirmed" }).where(eq(bookings.id, booking.id));
    await createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: taken.id });

    expect(
      await codeOf(rescheduleBooking({ bookingId: booking.id, timeslotId: taken.id, actor: { id: customer.id, role: "customer" } })),
    ).toBe("SLOT_FULL");
    expect((await slotRow(from.id)).bookedCount).toBe(1);

    const moved = await rescheduleBooking({ bookingId: booking.id, timeslotId: to.id, actor: { id: customer.id, role: "customer" } });
    expect(moved).toMatchObject({ status: "confirmed", timeslotId: to.id, rescheduledFromId: booking.id });
    expect((await slotRow(from.id)).bookedCount).toBe(0);
    expect((await slotRow(to.id)).bookedCount).toBe(1);
    const [p] = await db.select().from(payments).where(eq(payments.id, pay!.id));
    expect(p!.bookingId).toBe(moved.id);

    // One appointment, one code: the new row carries it, the old one a retired form no check-in matches.
    expect(moved.code).toBe(booking.code);
    const [old] = await db.select().from(bookings).where(eq(bookings.id, booking.id));
    expect(old).toMatchObject({ status: "cancelled", cancelReason: "rescheduled", code: retiredCode(booking.code, booking.id) });
    expect(await liveBookingId(db, booking.id)).toBe(moved.id);
    const listed = await listCustomerBookings(db, customer.id);
    expect(listed.map((b) => b.id)).toEqual([moved.id]);

    // Moved again: still the same code, and the first link still leads to the live booking.
    const third = await makeSlot(db, service);
    const again = await rescheduleBooking({ bookingId: moved.id, timeslotId: third.id, actor: { id: customer.id, role: "customer" } });
    expect(again.code).toBe(booking.code);
    expect(await liveBookingId(db, booking.id)).toBe(again.id);
    const staff = await makeCustomer(db);
    const checkedIn = await codeOf(checkInBooking({ code: retiredCode(booking.code, booking.id), actor: { id: staff.id, role: "staff" } }));
    expect(checkedIn).toBe("NOT_FOUND");
  });

  it("expires unpaid holds once, giving the seats back", async () => {
    const db = getDb();
    const service = await makeService(db, {
      priceFen: 1000,
      capacity: 2,
      kind: "class",
      rules: { minNoticeMin: 0, maxAdvanceDays: 3650, holdMinutes: 15 },
    });
    const slot = await makeSlot(db, service);
    const booking = await createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: slot.id, seats: 2 });
    expect(await expireHolds(new Date(Date.now() + 14 * 60_000))).not.toContain(booking.id);
    const later = new Date(Date.now() + 16 * 60_000);
    const [first, second] = await Promise.all([expireHolds(later), expireHolds(later)]);
    expect([...first, ...second].filter((id) => id === booking.id)).toHaveLength(1);
    expect((await slotRow(slot.id)).bookedCount).toBe(0);
    const [row] = await db
      .select()
      .from(bookings)
      .where(and(eq(bookings.id, booking.id)));
    expect(row!.status).toBe("expired");
  });
});

describe("availability", () => {
  const day = (d: Date) => d.toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });

  it("shows one seat fewer right after a booking (cache invalidated)", async () => {
    const db = getDb();
    expect(getCache().kind).toBe(process.env.REDIS_URL ? "redis" : "memory");
    const service = await makeService(db, { capacity: 3, kind: "class" });
    const slot = await makeSlot(db, service);
    const q = { serviceId: service.id, from: day(slot.startsAt), to: day(slot.startsAt) };
    const before = await getAvailability(q);
    expect(before.timezone).toBe("Asia/Shanghai");
    expect(before.slots.find((s) => s.id === slot.id)).toMatchObject({ remaining: 3, state: "open" });
    await createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: slot.id });
    expect((await getAvailability(q)).slots.find((s) => s.id === slot.id)).toMatchObject({ remaining: 2, state: "open" });
    await createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: slot.id, seats: 2 });
    expect((await getAvailability(q)).slots.find((s) => s.id === slot.id)).toMatchObject({ remaining: 0, state: "full" });
  });

  // 10:00 and 23:40 Shanghai time: the second one's overlapping slot starts on the next local day
  it.each([
    ["within one day", "T02:00:00Z"],
    ["across local midnight", "T15:40:00Z"],
  ])("marks a slot unavailable when its staff member is busy with another service (%s)", async (_, time) => {
    const db = getDb();
    const doctor = await makeResource(db);
    const a = await makeService(db, { resourceId: doctor.id });
    const b = await makeService(db, { resourceId: doctor.id });
    const date = new Date(Date.now() + (40 + Math.floor(Math.random() * 200)) * 86_400_000).toISOString().slice(0, 10);
    const sa = await makeSlot(db, a, { startsAt: new Date(date + time) });
    const sb = await makeSlot(db, b, { startsAt: new Date(sa.startsAt.getTime() + 30 * 60_000) });
    const q = { serviceId: b.id, from: day(sb.startsAt), to: day(sb.startsAt) };
    expect((await getAvailability(q)).slots.find((s) => s.id === sb.id)?.state).toBe("open");
    await createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: sa.id });
    const after = (await getAvailability(q)).slots.find((s) => s.id === sb.id);
    expect(after?.state).toBe("unavailable");
    expect(after?.reasons.map((r) => r.rule)).toContain("resource_busy");
  });

  it("keeps a class with a room open for every customer until its last seat (2nd..8th seat)", async () => {
    const db = getDb();
    const room = await makeResource(db, "room");
    const yoga = await makeService(db, { resourceId: room.id, capacity: 8, kind: "class" });
    const slot = await makeSlot(db, yoga);
    const q = { serviceId: yoga.id, from: day(slot.startsAt), to: day(slot.startsAt) };
    for (let booked = 1; booked <= 8; booked++) {
      await createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: slot.id });
      const next = await makeCustomer(db);
      const forNext = (await getAvailability({ ...q, customer: next })).slots.find((s) => s.id === slot.id);
      const anonymous = (await getAvailability(q)).slots.find((s) => s.id === slot.id);
      const expected = booked < 8 ? { state: "open", remaining: 8 - booked, reasons: [] } : { state: "full", remaining: 0 };
      expect(forNext, `after ${booked} seats`).toMatchObject(expected);
      expect(anonymous, `after ${booked} seats`).toMatchObject(expected);
    }
    expect((await slotRow(slot.id)).bookedCount).toBe(8);
  });

  it("blocks only the same staff member's and the same room's overlapping slots", async () => {
    const db = getDb();
    const [doctorA, doctorB, room] = [await makeResource(db), await makeResource(db), await makeResource(db, "room")];
    const tuina = await makeService(db, { resourceId: doctorA.id });
    const sameDoctor = await makeService(db, { resourceId: doctorA.id });
    const otherDoctor = await makeService(db, { resourceId: doctorB.id });
    const noResource = await makeService(db, { kind: "consultation" });
    const roomClass = await makeService(db, { resourceId: room.id, capacity: 8, kind: "class" });
    const sameRoom = await makeService(db, { resourceId: room.id });
    const startsAt = new Date(
      `${new Date(Date.now() + (40 + Math.floor(Math.random() * 200)) * 86_400_000).toISOString().slice(0, 10)}T02:00:00Z`,
    );
    const slot = async (s: Awaited<ReturnType<typeof makeService>>) =>
      makeSlot(db, s, { startsAt: new Date(startsAt.getTime() + 30 * 60_000) });
    const booked = await makeSlot(db, tuina, { startsAt });
    const classSlot = await makeSlot(db, roomClass, { startsAt });
    const [a2, b, free, room2] = [await slot(sameDoctor), await slot(otherDoctor), await slot(noResource), await slot(sameRoom)];
    const state = async (s: { id: string; serviceId: string; startsAt: Date }) =>
      (await getAvailability({ serviceId: s.serviceId, from: day(s.startsAt), to: day(s.startsAt) })).slots.find((x) => x.id === s.id);

    await createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: booked.id });
    await createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: classSlot.id });
    expect(await state(a2)).toMatchObject({ state: "unavailable", remaining: 0 });
    expect((await state(a2))?.reasons.map((r) => r.rule)).toContain("resource_busy");
    expect(await state(room2)).toMatchObject({ state: "unavailable" });
    expect(await state(b)).toMatchObject({ state: "open", remaining: 1, reasons: [] });
    expect(await state(free)).toMatchObject({ state: "open", remaining: 1, reasons: [] });
    expect(await state(classSlot)).toMatchObject({ state: "open", remaining: 7 });
    // The API agrees with the page: the open ones book, the blocked ones do not.
    expect(await codeOf(createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: b.id }))).toBe("OK");
    expect(await codeOf(createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: free.id }))).toBe("OK");
    expect(await codeOf(createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: a2.id }))).toBe("RESOURCE_BUSY");
  });

  it("still answers from PostgreSQL when the cache is down", async () => {
    const db = getDb();
    const holder = globalThis as { __yuyueCache?: ReturnType<typeof getCache> };
    const original = holder.__yuyueCache;
    holder.__yuyueCache = createCache({ kind: "redis", url: "redis://127.0.0.1:6390", prefix: uniq("dead") });
    try {
      const service = await makeService(db);
      const slot = await makeSlot(db, service);
      const res = await getAvailability({ serviceId: service.id, from: day(slot.startsAt), to: day(slot.startsAt) });
      expect(res.slots.map((s) => s.id)).toContain(slot.id);
      await createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: slot.id });
      const again = await getAvailability({ serviceId: service.id, from: day(slot.startsAt), to: day(slot.startsAt) });
      expect(again.slots.find((s) => s.id === slot.id)?.state).toBe("full");
    } finally {
      await holder.__yuyueCache?.close();
      holder.__yuyueCache = original;
    }
  });

  it("does not count the booking being rescheduled against the customer's limit", async () => {
    const db = getDb();
    const customer = await makeCustomer(db);
    const service = await makeService(db, { rules: { minNoticeMin: 0, maxAdvanceDays: 3650, maxActiveBookingsPerCustomer: 1 } });
    const held = await makeSlot(db, service);
    const other = await makeSlot(db, service, { startsAt: new Date(held.startsAt.getTime() + 3 * 3_600_000) });
    const booking = await createBooking({ customerId: customer.id, timeslotId: held.id });
    const q = { serviceId: service.id, from: day(other.startsAt), to: day(other.startsAt), customer };
    const blocked = (await getAvailability(q)).slots.find((s) => s.id === other.id);
    expect(blocked?.reasons.map((r) => r.rule)).toContain("max_active_bookings");
    expect((await getAvailability({ ...q, excludeBookingId: booking.id })).slots.find((s) => s.id === other.id)?.state).toBe("open");
  });

  it("explains rule reasons per slot and rejects bad ranges", async () => {
    const db = getDb();
    const service = await makeService(db, { rules: { minNoticeMin: 0, maxAdvanceDays: 10 } });
    const far = await makeSlot(db, service, { startsAt: new Date(Date.now() + 40 * 86_400_000) });
    const res = await getAvailability({ serviceId: service.id, from: day(far.startsAt), to: day(far.startsAt), locale: "en" });
    const s = res.slots.find((x) => x.id === far.id);
    expect(s?.state).toBe("unavailable");
    expect(s?.reasons[0]?.rule).toBe("max_advance");
    expect(await codeOf(getAvailability({ serviceId: service.id, from: "2026-02-01", to: "2026-01-01" }))).toBe("VALIDATION_FAILED");
    expect(await codeOf(getAvailability({ serviceId: service.id, from: "2026-01-01", to: "2026-06-01" }))).toBe("VALIDATION_FAILED");
  });
});
