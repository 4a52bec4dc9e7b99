import { and, eq } from "drizzle-orm";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { bookings, timeslots, type Service } from "@/db/schema";
import { addHoliday, removeHoliday } from "@/lib/business/holidays";
import { getCache } from "@/lib/cache";
import { saveSchedule } from "@/lib/services/save-schedule";
import { updateService } from "@/lib/services/update-service";
import { listSlotConflicts, resolveSlotConflict } from "@/lib/booking/slot-conflicts";
import { setupTestDb } from "@/tests/db";
import { codeOf, makeCustomer, makeService } from "@/tests/fixtures";
import { getAvailability } from "./availability";
import { cancelBooking } from "./cancel-booking";
import { createBooking } from "./create-booking";

setupTestDb();

const SH = "Asia/Shanghai";
const everyDay = (start: string, end: string) =>
  Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [{ start, end }]]));
const schedule = (start: string, end: string, windowDays = 7) => ({
  weeklyHours: everyDay(start, end),
  breaks: {},
  dateOverrides: {},
  slotIntervalMin: 60,
  windowDays,
});
const localDay = (now: Date, plus: number) => DateTime.fromJSDate(now, { zone: SH }).plus({ days: plus }).toISODate()!;
const at = (date: string, time: string) => DateTime.fromISO(`${date}T${time}`, { zone: SH }).toJSDate();
const hhmm = (iso: string) => DateTime.fromISO(iso, { zone: SH }).toFormat("HH:mm");

const staff = () => makeCustomer(getDb(), { role: "staff" });
const actorOf = (u: { id: string }) => ({ id: u.id, role: "staff" as const });

async function slotAt(serviceId: string, startsAt: Date) {
  const [row] = await getDb()
    .select()
    .from(timeslots)
    .where(and(eq(timeslots.serviceId, serviceId), eq(timeslots.startsAt, startsAt)));
  return row;
}

/** The dashboard form's fields of a service, as updateService takes them. */
const formOf = (s: Service) => ({
  name: s.name,
  nameEn: s.nameEn ?? undefined,
  description: s.description,
  kind: s.kind,
  durationMin: s.durationMin,
  priceFen: s.priceFen,
  depositFen: s.depositFen,
  capacity: s.capacity,
  bufferBeforeMin: s.bufferBeforeMin,
  bufferAfterMin: s.bufferAfterMin,
  resourceId: s.resourceId,
  reminderOffsetsMin: s.reminderOffsetsMin,
  active: s.active,
  rules: s.rules,
  fields: [],
});

describe("schedule edits reach the generated slots", () => {
  it("new hours remove an unbooked slot, keep and list a booked one, and availability shows it at once (cache included)", async () => {
    const db = getDb();
    expect(getCache().kind).toBe(process.env.REDIS_URL ? "redis" : "memory");
    const admin = await staff();
    const service = await makeService(db);
    const first = await saveSchedule(service.id, schedule("09:00", "12:00"), admin.id, db);
    expect(first.created).toBeGreaterThanOrEqual(18); // 09, 10, 11 on the 6 whole days ahead

    const booked = localDay(new Date(), 3);
    const free = localDay(new Date(), 4);
    const q = (date: string) => ({ serviceId: service.id, from: date, to: date });
    // Both days are cached with three open slots before the edit.
    expect((await getAvailability(q(booked))).slots.map((s) => [hhmm(s.startsAt), s.state])).toEqual([
      ["09:00", "open"],
      ["10:00", "open"],
      ["11:00", "open"],
    ]);
    expect((await getAvailability(q(free))).slots.map((s) => hhmm(s.startsAt))).toEqual(["09:00", "10:00", "11:00"]);
    const lateSlot = (await slotAt(service.id, at(booked, "11:00")))!;
    const booking = await createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: lateSlot.id });

    // The service now closes at 11:00.
    const edit = await saveSchedule(service.id, schedule("09:00", "11:00"), admin.id, db);
    expect(edit).toMatchObject({ created: 0, closed: 1, conflicts: 1 });
    expect(edit.removed).toBeGreaterThanOrEqual(5);

    expect(await slotAt(service.id, at(free, "11:00"))).toBeUndefined();
    expect((await getAvailability(q(free))).slots.map((s) => [hhmm(s.startsAt), s.state])).toEqual([
      ["09:00", "open"],
      ["10:00", "open"],
    ]);
    // The booked slot stays for its booking but takes no one else.
    expect((await getAvailability(q(booked))).slots.map((s) => [hhmm(s.startsAt), s.state])).toEqual([
      ["09:00", "open"],
      ["10:00", "open"],
      ["11:00", "closed"],
    ]);
    expect((await db.select().from(bookings).where(eq(bookings.id, booking.id)))[0]?.status).toBe("confirmed");

    const conflicts = (await listSlotConflicts(db)).filter((c) => c.serviceId === service.id);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ slotId: lateSlot.id, reason: "off_schedule", bookedCount: 1 });
    expect(conflicts[0]!.bookings.map((b) => b.code)).toEqual([booking.code]);

    // Saving the same schedule again changes nothing.
    expect(await saveSchedule(service.id, schedule("09:00", "11:00"), admin.id, db)).toMatchObject({
      created: 0,
      removed: 0,
      closed: 0,
      reopened: 0,
      updated: 0,
      conflicts: 1,
    });

    // Staff cancel and notify: the staff cancellation path runs, the conflict is settled.
    const { cancelled } = await resolveSlotConflict({ slotId: lateSlot.id, action: "cancel", actor: actorOf(admin) }, db);
    expect(cancelled).toEqual([booking.id]);
    const [after] = await db.select().from(bookings).where(eq(bookings.id, booking.id));
    expect(after).toMatchObject({ status: "cancelled" });
    expect(after!.cancelReason).toContain("closed");
    expect((await listSlotConflicts(db)).filter((c) => c.serviceId === service.id)).toEqual([]);

    // Back to the old hours: the 11:00 slots return, the closed one reopens.
    const back = await saveSchedule(service.id, schedule("09:00", "12:00"), admin.id, db);
    expect(back.reopened).toBe(1);
    expect((await getAvailability(q(booked))).slots.map((s) => [hhmm(s.startsAt), s.state])).toEqual([
      ["09:00", "open"],
      ["10:00", "open"],
      ["11:00", "open"],
    ]);
    expect((await getAvailability(q(free))).slots.map((s) => hhmm(s.startsAt))).toEqual(["09:00", "10:00", "11:00"]);
  });

  it("a longer duration moves unbooked slots' ends and lists the booked slot it no longer fits", async () => {
    const db = getDb();
    const admin = await staff();
    const service = await makeService(db, { durationMin: 60 });
    await saveSchedule(service.id, schedule("09:00", "12:00"), admin.id, db);
    const day = localDay(new Date(), 2);
    const slot = (await slotAt(service.id, at(day, "11:00")))!;
    await createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: slot.id });
    const result = await updateService(service.id, { ...formOf(service), durationMin: 90 }, admin.id, db);
    expect(result.durationMin).toBe(90);
    // 09:00 now ends 10:30 (10:00 at 11:30); an unbooked 11:00 no longer fits (12:00 closes), the booked one is kept, closed.
    const nine = (await slotAt(service.id, at(day, "09:00")))!;
    expect(nine.endsAt).toEqual(at(day, "10:30"));
    expect(await slotAt(service.id, at(localDay(new Date(), 3), "11:00"))).toBeUndefined();
    expect((await slotAt(service.id, at(day, "11:00")))!).toMatchObject({ status: "closed", endsAt: at(day, "12:00") });
    expect((await listSlotConflicts(db)).filter((c) => c.serviceId === service.id).map((c) => c.slotId)).toEqual([slot.id]);
  });

  it("a holiday closes the day for every service, keeps its booked slots as conflicts, and lifting it brings the day back", async () => {
    const db = getDb();
    const admin = await staff();
    // Years ahead, so no other test's slots share the business-wide holiday.
    const now = new Date(Date.now() + (2000 + Math.floor(Math.random() * 2000)) * 86_400_000);
    const yoga = await makeService(db, { capacity: 8, kind: "class" });
    const consult = await makeService(db);
    await saveSchedule(yoga.id, schedule("09:00", "11:00"), admin.id, db, now);
    await saveSchedule(consult.id, schedule("14:00", "16:00"), admin.id, db, now);
    const holiday = localDay(now, 2);
    const q = (s: Service) => ({ serviceId: s.id, from: holiday, to: holiday, now });
    expect((await getAvailability(q(yoga))).slots).toHaveLength(2);
    expect((await getAvailability(q(consult))).slots).toHaveLength(2);
    const seat = (await slotAt(yoga.id, at(holiday, "09:00")))!;
    const booking = await createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: seat.id, now });

    const added = await addHoliday({ date: holiday, name: "测试假日" }, admin.id, db, now);
    expect(added.holidays).toContainEqual({ date: holiday, name: "测试假日" });
    expect(added.reconciled.removed).toBeGreaterThanOrEqual(3);
    expect((await getAvailability(q(consult))).slots).toEqual([]);
    expect((await getAvailability(q(yoga))).slots.map((s) => [hhmm(s.startsAt), s.state])).toEqual([["09:00", "closed"]]);
    const conflicts = (await listSlotConflicts(db, { now })).filter((c) => c.serviceId === yoga.id);
    expect(conflicts.map((c) => [c.slotId, c.reason, c.bookings[0]?.id])).toEqual([[seat.id, "off_schedule", booking.id]]);
    // The day after is untouched.
    expect((await getAvailability({ ...q(consult), from: localDay(now, 3), to: localDay(now, 3) })).slots).toHaveLength(2);

    // Keep: the booking stands, the conflict leaves the list, the slot stays closed to others.
    await resolveSlotConflict({ slotId: seat.id, action: "keep", actor: actorOf(admin), now }, db);
    expect((await listSlotConflicts(db, { now })).filter((c) => c.serviceId === yoga.id)).toEqual([]);
    expect((await db.select().from(bookings).where(eq(bookings.id, booking.id)))[0]?.status).toBe("confirmed");

    const removed = await removeHoliday(holiday, admin.id, db, now);
    expect(removed.holidays.map((h) => h.date)).not.toContain(holiday);
    expect((await getAvailability(q(consult))).slots.map((s) => [hhmm(s.startsAt), s.state])).toEqual([
      ["14:00", "open"],
      ["15:00", "open"],
    ]);
    expect((await getAvailability(q(yoga))).slots.map((s) => [hhmm(s.startsAt), s.state, s.remaining])).toEqual([
      ["09:00", "open", 7],
      ["10:00", "open", 8],
    ]);
  });

  it("capacity changes reach open future slots, never below the seats booked, and an over-full slot is a conflict", async () => {
    const db = getDb();
    const admin = await staff();
    const service = await makeService(db, { capacity: 4, kind: "class" });
    await saveSchedule(service.id, schedule("18:00", "20:00"), admin.id, db);
    const day = localDay(new Date(), 2);
    const q = { serviceId: service.id, from: day, to: day };
    const busy = (await slotAt(service.id, at(day, "18:00")))!;
    const early = await createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: busy.id, seats: 2 });
    const late = await createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: busy.id, seats: 1 });
    const seats = async () => (await getAvailability(q)).slots.map((s) => [hhmm(s.startsAt), s.capacity, s.remaining, s.state]);
    expect(await seats()).toEqual([
      ["18:00", 4, 1, "open"],
      ["19:00", 4, 4, "open"],
    ]);

    // Down to 2: the booked slot keeps its 3 seats (full) and is listed; the other slot has 2.
    await updateService(service.id, { ...formOf(service), capacity: 2 }, admin.id, db);
    expect(await seats()).toEqual([
      ["18:00", 3, 0, "full"],
      ["19:00", 2, 2, "open"],
    ]);
    expect((await listSlotConflicts(db)).filter((c) => c.serviceId === service.id).map((c) => [c.slotId, c.reason])).toEqual([
      [busy.id, "over_capacity"],
    ]);

    // Up to 6: every slot follows, the conflict is gone.
    await updateService(service.id, { ...formOf(service), capacity: 6 }, admin.id, db);
    expect(await seats()).toEqual([
      ["18:00", 6, 3, "open"],
      ["19:00", 6, 6, "open"],
    ]);
    expect((await listSlotConflicts(db)).filter((c) => c.serviceId === service.id)).toEqual([]);
    // The new seats sell at once: the slot's seat gate (Redis) forgot the count it had before.
    const extra = await createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: busy.id, seats: 2 });

    // Down to 2 again, and staff cancel: the latest bookings go until the rest fit, the slot is back to 2 seats, full.
    await updateService(service.id, { ...formOf(service), capacity: 2 }, admin.id, db);
    const { cancelled } = await resolveSlotConflict({ slotId: busy.id, action: "cancel", actor: actorOf(admin) }, db);
    expect(cancelled).toEqual([extra.id, late.id]);
    expect((await db.select().from(bookings).where(eq(bookings.id, early.id)))[0]?.status).toBe("confirmed");
    expect(await seats()).toEqual([
      ["18:00", 2, 0, "full"],
      ["19:00", 2, 2, "open"],
    ]);
    expect((await listSlotConflicts(db)).filter((c) => c.serviceId === service.id)).toEqual([]);
  });

  it("a seat freed in a slot kept above a cut capacity is not sold again", async () => {
    const db = getDb();
    const admin = await staff();
    const service = await makeService(db, { capacity: 3, kind: "class" });
    await saveSchedule(service.id, schedule("07:00", "08:00"), admin.id, db);
    const day = localDay(new Date(), 3);
    const slot = (await slotAt(service.id, at(day, "07:00")))!;
    const customers = [await makeCustomer(db), await makeCustomer(db), await makeCustomer(db)];
    const taken = [];
    for (const c of customers) taken.push(await createBooking({ customerId: c.id, timeslotId: slot.id }));
    await updateService(service.id, { ...formOf(service), capacity: 1 }, admin.id, db);
    const q = { serviceId: service.id, from: day, to: day };
    expect((await getAvailability(q)).slots.map((s) => [s.capacity, s.remaining, s.state])).toEqual([[3, 0, "full"]]);
    // One customer cancels: two seats stay booked, and the slot now has two.
    await cancelBooking({ bookingId: taken[0]!.id, actor: { id: customers[0]!.id, role: "customer" } }, db);
    expect((await getAvailability(q)).slots.map((s) => [s.capacity, s.remaining, s.state])).toEqual([[2, 0, "full"]]);
    await cancelBooking({ bookingId: taken[1]!.id, actor: { id: customers[1]!.id, role: "customer" } }, db);
    await cancelBooking({ bookingId: taken[2]!.id, actor: { id: customers[2]!.id, role: "customer" } }, db);
    expect((await getAvailability(q)).slots.map((s) => [s.capacity, s.remaining, s.state])).toEqual([[1, 1, "open"]]);
  });

  it("a booking racing the edit is never lost: its slot is kept and listed, or the booking is refused", async () => {
    const db = getDb();
    const admin = await staff();
    const service = await makeService(db);
    await saveSchedule(service.id, schedule("09:00", "12:00"), admin.id, db);
    const targets = [];
    for (let d = 1; d <= 6; d++) targets.push((await slotAt(service.id, at(localDay(new Date(), d), "11:00")))!);
    const customers = await Promise.all(targets.map(() => makeCustomer(db)));
    const [, ...codes] = await Promise.all([
      saveSchedule(service.id, schedule("09:00", "11:00"), admin.id, db),
      ...targets.map((slot, i) => codeOf(createBooking({ customerId: customers[i]!.id, timeslotId: slot.id }))),
    ]);
    const listed = new Set((await listSlotConflicts(db)).filter((c) => c.serviceId === service.id).map((c) => c.slotId));
    for (const [i, slot] of targets.entries()) {
      const row = await slotAt(service.id, slot.startsAt);
      if (codes[i] === "OK") {
        expect(row).toMatchObject({ bookedCount: 1, status: "closed" });
        expect(listed.has(slot.id)).toBe(true);
      } else {
        expect(["SLOT_CLOSED", "NOT_FOUND"]).toContain(codes[i]);
        expect(row?.bookedCount ?? 0).toBe(0);
      }
    }
    expect(listed.size).toBe(codes.filter((c) => c === "OK").length);
  });
});
