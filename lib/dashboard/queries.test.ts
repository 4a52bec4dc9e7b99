import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { notifications, payments, schedules, timeslots } from "@/db/schema";
import { deliverNotification } from "@/lib/notifications/deliver";
import { createBooking } from "@/lib/booking/create-booking";
import { checkInBooking, confirmBooking } from "@/lib/booking/staff-transitions";
import { setupTestDb, uniq } from "@/tests/db";
import { ensureBusiness, makeCustomer, makeResource, makeService, makeSlot } from "@/tests/fixtures";
import { getBookingDetail } from "@/lib/booking/staff-detail";
import { listBookings } from "@/lib/booking/staff-queries";
import { calendarData, calendarRange } from "@/lib/booking/calendar";
import { searchCustomers } from "@/lib/customers/queries";
import { getCustomerDetail, customerGroups } from "@/lib/customers/detail";
import { bookingsCsv, paymentsCsv } from "./export-queries";
import { ledger } from "./ledger-queries";
import { listMessages } from "./message-queries";
import { overviewStats, todaysAppointments } from "./overview-queries";
import { dayRange } from "@/lib/booking/day-range";
import { listServicesForStaff } from "@/lib/services/staff-queries";
import { setSlotStatus } from "@/lib/booking/slot-commands";
import { listAudit } from "./audit-queries";

setupTestDb();
const TZ = "Asia/Shanghai";

describe("dashboard read models", () => {
  it("lists, details, charts, calendars and exports a booking on both databases", async () => {
    const db = getDb();
    await ensureBusiness(db);
    const room = await makeResource(db, "room");
    const service = await makeService(db, {
      resourceId: room.id,
      priceFen: 10000,
      rules: { minNoticeMin: 0, maxAdvanceDays: 3650, payment: { mode: "full" } },
    });
    const startsAt = new Date(Date.now() + 2 * 3_600_000);
    startsAt.setMinutes(0, 0, 0);
    const slot = await makeSlot(db, service, { startsAt });
    const customer = await makeCustomer(db, {
      name: uniq("王"),
      phone: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`,
      groups: ["member"],
    });
    const booking = await createBooking({ customerId: customer.id, timeslotId: slot.id });
    await db
      .insert(payments)
      .values({ bookingId: booking.id, provider: "sandbox", outTradeNo: uniq("T"), amountFen: 10000, status: "paid", paidAt: new Date() });

    const other = await makeService(db);
    await makeSlot(db, other);
    await db.insert(schedules).values({ serviceId: service.id });
    const staffServices = await listServicesForStaff(db);
    expect(staffServices.find((s) => s.id === service.id)).toMatchObject({ hasSchedule: true, upcomingSlots: 1 });
    expect(staffServices.find((s) => s.id === other.id)).toMatchObject({ hasSchedule: false, upcomingSlots: 1 });

    const list = await listBookings(db, { q: customer.name, page: 1 }, TZ);
    expect(list.total).toBe(1);
    expect(list.rows[0]).toMatchObject({ code: booking.code, resourceName: room.name, serviceId: service.id });
    expect((await listBookings(db, { resourceId: room.id, page: 1 }, TZ)).rows.map((r) => r.id)).toContain(booking.id);

    const [message] = await db.select().from(notifications).where(eq(notifications.bookingId, booking.id)).limit(1);
    expect(await deliverNotification(db, message!.id, false)).toBe("sent");
    const detail = await getBookingDetail(db, booking.id);
    // Each message counts its own delivery attempts, not another table's ids.
    expect(detail.notifications.find((n) => n.id === message!.id)?.deliveries).toBe(1);
    expect(detail.notifications.filter((n) => n.id !== message!.id && n.status === "pending").every((n) => n.deliveries === 0)).toBe(true);
    expect(detail.payments).toHaveLength(1);
    expect(detail.quote).toMatchObject({ paidFen: 10000 });
    expect(detail.audit.map((a) => a.action)).toContain("booking.created");

    expect((await todaysAppointments(db, TZ, startsAt)).map((b) => b.id)).toContain(booking.id);
    const stats = await overviewStats(db, TZ, { from: dayRange({}, TZ, startsAt).to, to: dayRange({}, TZ, startsAt).to }, startsAt);
    expect(stats.totals.bookings).toBeGreaterThanOrEqual(1);
    expect(stats.byService.find((s) => s.id === service.id)).toMatchObject({ bookedSeats: 1, capacity: 1, rate: 1 });
    expect(stats.byResource.find((r) => r.id === room.id)?.bookedSeats).toBe(1);

    const week = calendarRange(undefined, "week", TZ, startsAt);
    const cal = await calendarData(db, { ...week, resourceId: room.id });
    expect(cal.bookings.map((b) => b.id)).toContain(booking.id);
    expect(cal.slots.map((s) => s.id)).toContain(slot.id);

    const range = dayRange({}, TZ, startsAt, { defaultDays: 1 });
    expect(await bookingsCsv(db, range, TZ)).toContain(booking.code);
    expect(await paymentsCsv(db, dayRange({}, TZ, new Date(), { defaultDays: 1 }), TZ)).toContain("100.00");
    const money = await ledger(db, { q: booking.code, page: 1 }, TZ);
    expect(money.totals).toMatchObject({ paidFen: 10000, count: 1 });

    const customers = await searchCustomers(db, { q: customer.name, limit: 20, offset: 0 });
    expect(customers.rows[0]).toMatchObject({ bookingCount: 1, noShowCount: 0 });
    expect((await getCustomerDetail(db, customer.id)).counts.upcoming).toBe(1);
    expect(await customerGroups(db)).toContain("member");
    expect((await listAudit(db, { entityId: booking.id, page: 1 }, TZ)).total).toBeGreaterThanOrEqual(1);

    const staff = await makeCustomer(db, { role: "staff" });
    await confirmBooking({ bookingId: booking.id, actor: { id: staff.id, role: "staff" }, reason: "paid at the desk" });
    await checkInBooking({ code: booking.code, actor: { id: staff.id, role: "staff" }, now: startsAt });
    expect((await listAudit(db, { action: "booking.checked", page: 1 }, TZ)).rows[0]?.entityId).toBe(booking.id);
  });

  it("closes and reopens slots, and lists dead letters", async () => {
    const db = getDb();
    const staff = await makeCustomer(db, { role: "staff" });
    const service = await makeService(db);
    const a = await makeSlot(db, service);
    expect(await setSlotStatus({ slotIds: [a.id], status: "closed" }, staff.id)).toBe(1);
    expect(await setSlotStatus({ slotIds: [a.id], status: "closed" }, staff.id)).toBe(0);
    expect((await db.select().from(timeslots).where(eq(timeslots.id, a.id)))[0]?.status).toBe("closed");
    expect(await setSlotStatus({ slotIds: [a.id], status: "open" }, staff.id)).toBe(1);

    const customer = await makeCustomer(db);
    const [dead] = await db
      .insert(notifications)
      .values({
        userId: customer.id,
        type: "booking_confirmed",
        channel: "email",
        title: "t",
        body: "b",
        idempotencyKey: uniq("k"),
        status: "dead",
        attempts: 5,
        lastError: "boom",
      })
      .returning();
    expect((await listMessages(db, { status: "dead", page: 1 })).rows.map((r) => r.id)).toContain(dead!.id);
    expect((await listMessages(db, { status: "dead", q: customer.name, page: 1 })).total).toBe(1);
  });
});
