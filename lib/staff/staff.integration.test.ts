import { readFileSync } from "node:fs";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, type Db } from "@/db/client";
import { bookings, resourceBusy, resources, serviceStaff, services, timeslots, type Service } from "@/db/schema";
import { getAvailability } from "@/lib/booking/availability";
import { cancelBooking } from "@/lib/booking/cancel-booking";
import { createBooking } from "@/lib/booking/create-booking";
import { setupTestDb } from "@/tests/db";
import { codeOf, makeCustomer, makeResource, makeService, makeSlot } from "@/tests/fixtures";
import { setServiceStaff } from "./set-service-staff";
import { rescheduleBooking } from "@/lib/booking/reschedule-booking";
import { staffIdsOf, staffSchedule } from "./schedule";
import { addTimeOff } from "./time-off";

setupTestDb();

/** A local date (Asia/Shanghai) no other test of this file uses, 30-330 days out. */
const usedDays = new Set<string>();
function freshDay(): string {
  for (;;) {
    const day = new Date(Date.now() + (30 + Math.floor(Math.random() * 300)) * 86_400_000).toLocaleDateString("sv-SE", {
      timeZone: "Asia/Shanghai",
    });
    if (!usedDays.has(day)) {
      usedDays.add(day);
      return day;
    }
  }
}
const at = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`);

async function salon(db: Db, n: number, extra: Partial<typeof services.$inferInsert> = {}, weights: number[] = []) {
  const service = await makeService(db, { durationMin: 60, ...extra });
  const stylists = [];
  for (let i = 0; i < n; i++) {
    const r = await makeResource(db);
    // Names sort in creation order: ties in the policy go to the first.
    const [named] = await db
      .update(resources)
      .set({ name: `${String.fromCharCode(65 + i)}-${r.name}` })
      .where(eq(resources.id, r.id))
      .returning();
    stylists.push(named!);
  }
  const admin = await makeCustomer(db, { role: "admin" });
  await setServiceStaff(
    service.id,
    { policy: service.staffPolicy, staff: stylists.map((s, i) => ({ resourceId: s.id, weight: weights[i] ?? 1 })) },
    admin.id,
    db,
  );
  return { service, stylists, admin };
}

const slotAt = (db: Db, service: Service, startsAt: Date, staff: number) =>
  makeSlot(db, service, { startsAt, capacity: service.capacity * staff });
const book = async (db: Db, slotId: string, staffId?: string) =>
  createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: slotId, staffId }, db);
const slotOf = async (serviceId: string, day: string, id: string) =>
  (await getAvailability({ serviceId, from: day, to: day })).slots.find((s) => s.id === id)!;

describe("several staff members per service", () => {
  it("shows a slot's capacity from its free stylists, and frees one with a cancellation", async () => {
    const db = getDb();
    const { service, stylists, admin } = await salon(db, 3);
    const day = freshDay();
    const slot = await slotAt(db, service, at(day, "10:00"), 3);
    const before = await slotOf(service.id, day, slot.id);
    expect(before).toMatchObject({ capacity: 3, remaining: 3, state: "open" });
    expect(before.staff!.map((s) => s.id).sort()).toEqual(stylists.map((s) => s.id).sort());

    // A picks B; B is then not offered at that time, but two others are.
    const b = await book(db, slot.id, stylists[1]!.id);
    expect(b.staffId).toBe(stylists[1]!.id);
    const after = await slotOf(service.id, day, slot.id);
    expect(after).toMatchObject({ remaining: 2, state: "open" });
    expect(after.staff!.map((s) => s.id)).not.toContain(stylists[1]!.id);
    expect(await codeOf(book(db, slot.id, stylists[1]!.id))).toBe("RESOURCE_BUSY");
    expect(await slotOf(service.id, day, slot.id)).toMatchObject({ remaining: 2 });

    // Stylist C is booked for another service at an overlapping time: one seat fewer here.
    const colour = await makeService(db, { durationMin: 90 });
    await setServiceStaff(colour.id, { policy: "least_booked", staff: [{ resourceId: stylists[2]!.id, weight: 1 }] }, admin.id, db);
    const colourSlot = await slotAt(db, colour, at(day, "09:30"), 1);
    await book(db, colourSlot.id);
    const third = await slotOf(service.id, day, slot.id);
    expect(third.remaining).toBe(1);
    expect(third.staff!.map((s) => s.id)).toEqual([stylists[0]!.id]);
    // With a stylist picked, only that stylist's seats count.
    const pickedC = (await getAvailability({ serviceId: service.id, from: day, to: day, staffId: stylists[2]!.id })).slots.find(
      (s) => s.id === slot.id,
    )!;
    expect(pickedC).toMatchObject({ remaining: 0, state: "unavailable" });

    // Cancelling B's booking gives B's time back, here and for B's other services.
    await cancelBooking({ bookingId: b.id, actor: { id: admin.id, role: "admin" }, reason: "test" }, db);
    expect((await slotOf(service.id, day, slot.id)).remaining).toBe(2);
    const rows = await db.select().from(resourceBusy).where(eq(resourceBusy.timeslotId, slot.id));
    expect(rows.find((r) => r.resourceId === stylists[1]!.id)).toMatchObject({ active: false, seats: 0, shared: false });
  });

  it("spreads 'any available' to the least booked stylist of the day", async () => {
    const db = getDb();
    const { service, stylists } = await salon(db, 3);
    const day = freshDay();
    const times = ["10:00", "11:00", "12:00", "13:00", "14:00", "15:00"];
    const assigned: (string | null)[] = [];
    for (const t of times) assigned.push((await book(db, (await slotAt(db, service, at(day, t), 3)).id)).staffId);
    const count = (id: string) => assigned.filter((a) => a === id).length;
    expect(stylists.map((s) => count(s.id))).toEqual([2, 2, 2]);
    // Two free stylists in one slot: the two customers get different ones.
    const slot = await slotAt(db, service, at(day, "16:00"), 3);
    const both = await Promise.all([book(db, slot.id), book(db, slot.id)]);
    expect(new Set(both.map((b) => b.staffId)).size).toBe(2);
  });

  it("assigns round-robin by weight", async () => {
    const db = getDb();
    const { service, stylists } = await salon(db, 2, { staffPolicy: "round_robin" }, [2, 1]);
    const day = freshDay();
    const assigned: (string | null)[] = [];
    for (const t of ["09:00", "10:00", "11:00", "12:00", "13:00", "14:00"]) {
      assigned.push((await book(db, (await slotAt(db, service, at(day, t), 2)).id)).staffId);
    }
    expect(assigned.filter((a) => a === stylists[0]!.id)).toHaveLength(4);
    expect(assigned.filter((a) => a === stylists[1]!.id)).toHaveLength(2);
  });

  it("removes only the stylist's own times for their leave, hours and breaks", async () => {
    const db = getDb();
    const { service, stylists, admin } = await salon(db, 2);
    const day = freshDay();
    const morning = await slotAt(db, service, at(day, "10:00"), 2);
    const afternoon = await slotAt(db, service, at(day, "15:00"), 2);
    // Read once so the days are cached: the leave must invalidate them.
    expect((await slotOf(service.id, day, morning.id)).remaining).toBe(2);
    const leave = { startsAt: at(day, "09:00"), endsAt: at(day, "12:00"), kind: "sick" as const, note: "" };
    await addTimeOff(stylists[0]!.id, leave, admin.id, db);
    const am = await slotOf(service.id, day, morning.id);
    expect(am.remaining).toBe(1);
    expect(am.staff!.map((s) => s.id)).toEqual([stylists[1]!.id]);
    expect((await slotOf(service.id, day, afternoon.id)).remaining).toBe(2);
    expect(await codeOf(book(db, morning.id, stylists[0]!.id))).toBe("RESOURCE_BUSY");
    // "Any" at the morning slot goes to the one at work.
    expect((await book(db, morning.id)).staffId).toBe(stylists[1]!.id);
    expect(await codeOf(book(db, morning.id))).toBe("RESOURCE_BUSY");

    // Own hours 14:00-16:00 with a break at 15:00: B's afternoon goes, A's stays.
    const weekday = (["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const)[at(day, "12:00").getUTCDay()]!;
    await db
      .update(resources)
      .set({ weeklyHours: { [weekday]: [{ start: "14:00", end: "18:00" }] }, breaks: { [weekday]: [{ start: "15:00", end: "15:30" }] } })
      .where(eq(resources.id, stylists[1]!.id));
    const { saveStaffHours } = await import("./save-staff-hours");
    const [b] = await db.select().from(resources).where(eq(resources.id, stylists[1]!.id));
    await saveStaffHours(b!.id, { weeklyHours: b!.weeklyHours, breaks: b!.breaks, dateOverrides: {} }, admin.id, db);
    const pm = await slotOf(service.id, day, afternoon.id);
    expect(pm.staff!.map((s) => s.id)).toEqual([stylists[0]!.id]);
  });

  it("gives the last free stylist to exactly one of two racing customers", async () => {
    const db = getDb();
    const { service, stylists, admin } = await salon(db, 3);
    const day = freshDay();
    const slot = await slotAt(db, service, at(day, "10:00"), 3);
    await book(db, slot.id, stylists[0]!.id);
    await book(db, slot.id, stylists[1]!.id);
    const race = await Promise.all([codeOf(book(db, slot.id)), codeOf(book(db, slot.id, stylists[2]!.id))]);
    expect(race.sort()).toEqual(["OK", "SLOT_FULL"]);

    // Across services: C is the last free stylist of both; one customer each races for C's hour.
    const other = await makeService(db, { durationMin: 60 });
    await setServiceStaff(other.id, { policy: "least_booked", staff: [{ resourceId: stylists[2]!.id, weight: 1 }] }, admin.id, db);
    const day2 = freshDay();
    const s1 = await slotAt(db, service, at(day2, "10:00"), 3);
    const s2 = await slotAt(db, other, at(day2, "10:30"), 1);
    await book(db, s1.id, stylists[0]!.id);
    await book(db, s1.id, stylists[1]!.id);
    const results = await Promise.all([codeOf(book(db, s1.id)), codeOf(book(db, s2.id))]);
    expect(results.sort()).toEqual(["OK", "RESOURCE_BUSY"]);
    const busy = await db.select().from(resourceBusy).where(eq(resourceBusy.resourceId, stylists[2]!.id));
    expect(busy.filter((r) => r.active && [s1.id, s2.id].includes(r.timeslotId))).toHaveLength(1);
    // The loser's seat was given back.
    const loserSlot = (await db.select().from(timeslots).where(eq(timeslots.id, s2.id)))[0]!;
    const winnerSlot = (await db.select().from(timeslots).where(eq(timeslots.id, s1.id)))[0]!;
    expect(loserSlot.bookedCount + winnerSlot.bookedCount).toBe(3);
  });

  it("still blocks a room shared with another service", async () => {
    const db = getDb();
    const room = await makeResource(db, "room");
    const { service } = await salon(db, 2, { resourceId: room.id });
    const spa = await makeService(db, { resourceId: room.id, durationMin: 60 });
    const day = freshDay();
    const slot = await slotAt(db, service, at(day, "10:00"), 2);
    const spaSlot = await makeSlot(db, spa, { startsAt: at(day, "10:30") });
    expect((await slotOf(service.id, day, slot.id)).state).toBe("open");
    await book(db, spaSlot.id);
    expect(await slotOf(service.id, day, slot.id)).toMatchObject({ remaining: 0, state: "unavailable" });
    expect(await codeOf(book(db, slot.id))).toBe("RESOURCE_BUSY");
    const left = (await db.select().from(resourceBusy).where(eq(resourceBusy.timeslotId, slot.id))).filter((r) => r.active);
    expect(left).toHaveLength(0);
  });

  it("keeps capacity per stylist when staff change, never below what is booked", async () => {
    const db = getDb();
    const { service, stylists, admin } = await salon(db, 3, { capacity: 1 });
    const slot = await slotAt(db, service, new Date(Date.now() + 3 * 86_400_000), 3);
    await book(db, slot.id);
    await book(db, slot.id);
    const capacity = async () => (await db.select().from(timeslots).where(eq(timeslots.id, slot.id)))[0]!.capacity;
    await setServiceStaff(service.id, { policy: "least_booked", staff: [{ resourceId: stylists[0]!.id, weight: 1 }] }, admin.id, db);
    expect(await capacity()).toBe(2);
    const all = stylists.map((s) => ({ resourceId: s.id, weight: 1 }));
    await setServiceStaff(service.id, { policy: "least_booked", staff: all }, admin.id, db);
    expect(await capacity()).toBe(3);
  });
});

describe("staff schedules and moves", () => {
  it("shows a staff member only their own bookings, an admin everyone's", async () => {
    const db = getDb();
    const { service, stylists } = await salon(db, 2);
    const account = await makeCustomer(db, { role: "staff" });
    await db.update(resources).set({ userId: account.id }).where(eq(resources.id, stylists[0]!.id));
    const day = freshDay();
    const slot = await slotAt(db, service, at(day, "10:00"), 2);
    const mine = await book(db, slot.id, stylists[0]!.id);
    const theirs = await book(db, slot.id, stylists[1]!.id);
    const range = { from: at(day, "00:00"), to: at(day, "23:59") };
    const ids = await staffIdsOf(db, account.id);
    expect(ids).toEqual([stylists[0]!.id]);
    const own = await staffSchedule(db, { staffIds: ids, ...range });
    expect(own.map((r) => [r.id, r.resourceId])).toEqual([[mine.id, stylists[0]!.id]]);
    const all = await staffSchedule(db, { staffIds: "all", ...range });
    expect(all.map((r) => r.id)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    expect(await staffSchedule(db, { staffIds: [], ...range })).toEqual([]);
  });

  it("keeps the stylist on a reschedule when free, else assigns another", async () => {
    const db = getDb();
    const { service, stylists, admin } = await salon(db, 2);
    const day = freshDay();
    const a = await slotAt(db, service, at(day, "10:00"), 2);
    const b = await slotAt(db, service, at(day, "14:00"), 2);
    const booked = await book(db, a.id, stylists[1]!.id);
    const actor = { id: admin.id, role: "admin" as const };
    const moved = await rescheduleBooking({ bookingId: booked.id, timeslotId: b.id, actor }, db);
    expect(moved.staffId).toBe(stylists[1]!.id);
    // B's time at 10:00 is free again; at 14:00 taken.
    expect((await slotOf(service.id, day, a.id)).staff!.map((m) => m.id)).toContain(stylists[1]!.id);
    expect((await slotOf(service.id, day, b.id)).staff!.map((m) => m.id)).toEqual([stylists[0]!.id]);
    // B goes on leave at 10:00: moving back there goes to A.
    await addTimeOff(stylists[1]!.id, { startsAt: at(day, "09:00"), endsAt: at(day, "12:00"), kind: "leave", note: "" }, admin.id, db);
    const back = await rescheduleBooking({ bookingId: moved.id, timeslotId: a.id, actor }, db);
    expect(back.staffId).toBe(stylists[0]!.id);
  });
});

describe("migration 0018", () => {
  it("makes a service's single staff member its one staff member, slots and bookings intact", async () => {
    const db = getDb();
    const doctor = await makeResource(db);
    const room = await makeResource(db, "room");
    const legacy = await makeService(db, { resourceId: doctor.id, capacity: 2, kind: "class" });
    const roomed = await makeService(db, { resourceId: room.id });
    const slot = await makeSlot(db, legacy);
    const roomSlot = await makeSlot(db, roomed);
    // As before the migration: no staff rows, the slot carries the resource, a shared interval.
    await db.delete(serviceStaff).where(eq(serviceStaff.serviceId, legacy.id));
    const booked = await book(db, slot.id);
    await book(db, roomSlot.id);
    await db.update(bookings).set({ staffId: null }).where(eq(bookings.id, booked.id));
    const statements = readFileSync("db/migrations/0018_staff.sql", "utf8")
      .split("--> statement-breakpoint")
      .map((s) => s.trim())
      .filter((s) => /^(--[^\n]*\n)*\s*(INSERT|UPDATE)/.test(s));
    for (const s of statements) await db.execute(sql.raw(s));
    const [svc] = await db.select().from(services).where(eq(services.id, legacy.id));
    expect(svc!.resourceId).toBeNull();
    expect(await db.select().from(serviceStaff).where(eq(serviceStaff.serviceId, legacy.id))).toMatchObject([{ resourceId: doctor.id }]);
    expect((await db.select().from(bookings).where(eq(bookings.id, booked.id)))[0]!.staffId).toBe(doctor.id);
    const [t] = await db.select().from(timeslots).where(eq(timeslots.id, slot.id));
    expect(t).toMatchObject({ resourceId: null, capacity: 2, bookedCount: 1 });
    expect((await db.select().from(resourceBusy).where(eq(resourceBusy.timeslotId, slot.id)))[0]).toMatchObject({
      resourceId: doctor.id,
      seats: 1,
      shared: false,
      active: true,
    });
    // The room stays the other service's resource.
    expect((await db.select().from(services).where(eq(services.id, roomed.id)))[0]!.resourceId).toBe(room.id);
    // And the class books on: its second seat goes to the doctor, a third is full.
    expect((await book(db, slot.id)).staffId).toBe(doctor.id);
    expect(await codeOf(book(db, slot.id))).toBe("SLOT_FULL");
  });
});
