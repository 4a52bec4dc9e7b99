import { describe, expect, it } from "vitest";
import type { BookingRow } from "@/lib/booking/staff-queries";
import type { CalendarSlot } from "@/lib/booking/calendar";
import { calendarEvents, calendarResources, hourRange } from "./events";

const tz = "Asia/Shanghai";
const at = (hhmm: string) => new Date(`2026-12-10T${hhmm}:00+08:00`);

const slot = (
  id: string,
  start: string,
  end: string,
  capacity: number,
  bookedCount: number,
  over: Partial<CalendarSlot> = {},
): CalendarSlot => ({
  id,
  serviceId: "svc",
  serviceName: "瑜伽",
  serviceNameEn: "Yoga",
  resourceId: "room",
  startsAt: at(start),
  endsAt: at(end),
  capacity,
  bookedCount,
  status: "open",
  ...over,
});

const booking = (id: string, s: CalendarSlot, over: Partial<BookingRow> = {}): BookingRow => ({
  id,
  timeslotId: s.id,
  code: `C${id}`,
  status: "confirmed",
  seats: 1,
  startsAt: s.startsAt,
  endsAt: s.endsAt,
  priceFen: 0,
  amountDueFen: 0,
  checkedInAt: null,
  createdAt: new Date(),
  serviceId: s.serviceId,
  serviceName: s.serviceName,
  serviceNameEn: s.serviceNameEn,
  resourceId: s.resourceId,
  resourceName: "教室 A",
  customerId: `u${id}`,
  customerName: `客户${id}`,
  customerPhone: null,
  customerEmail: null,
  ...over,
});

const titles = {
  booking: (c: string, s: string) => `${c} · ${s}`,
  openSlot: (s: string, r: number, c: number) => `${s} ${r}/${c} free`,
  closedSlot: (s: string) => `${s} closed`,
  classBlock: (s: string, b: number, c: number) => `${s} ${b}/${c}`,
};

describe("staff calendar blocks", () => {
  it("shows a class as one block with its roster and booked/capacity, a one-seat booking as its own block", () => {
    const yoga = slot("s1", "07:00", "08:00", 8, 3);
    const consult = slot("s2", "10:00", "10:30", 1, 1, { serviceName: "咨询", resourceId: "doc" });
    const events = calendarEvents(
      {
        bookings: [booking("1", yoga), booking("2", yoga, { seats: 2 }), booking("3", consult, { resourceName: "李医生" })],
        slots: [yoga, consult],
      },
      { locale: "zh-CN", showSlots: false, titles },
    );
    expect(events.map((e) => e.kind)).toEqual(["class", "booking"]);
    const cls = events[0];
    if (cls?.kind !== "class") throw new Error("expected a class block");
    expect(cls.title).toBe("瑜伽 3/8");
    expect(cls.remaining).toBe(5);
    expect(cls.roster.map((r) => [r.code, r.seats])).toEqual([
      ["C1", 1],
      ["C2", 2],
    ]);
  });

  it("lists free slots only when asked, never a second block for a class that has a roster", () => {
    const yoga = slot("s1", "09:00", "10:00", 8, 1);
    const empty = slot("s2", "11:00", "12:00", 8, 0);
    const closed = slot("s3", "13:00", "14:00", 1, 0, { status: "closed" });
    const full = slot("s4", "15:00", "16:00", 1, 1);
    const data = { bookings: [booking("1", yoga)], slots: [yoga, empty, closed, full] };
    expect(calendarEvents(data, { locale: "en", showSlots: false, titles }).map((e) => e.id)).toEqual(["s1"]);
    const shown = calendarEvents(data, { locale: "en", showSlots: true, titles });
    expect(shown.map((e) => [e.kind, e.id])).toEqual([
      ["class", "s1"],
      ["slot", "s2"],
      ["slot", "s3"],
    ]);
    expect(shown[1]?.title).toBe("Yoga 8/8 free");
  });

  it("widens the time grid to the earliest and latest block", () => {
    expect(hourRange([], tz)).toEqual({ min: 8, max: 20 });
    const early = calendarEvents(
      { bookings: [], slots: [slot("a", "07:00", "08:00", 8, 0), slot("b", "20:30", "21:15", 1, 0)] },
      {
        locale: "zh-CN",
        showSlots: true,
        titles,
      },
    );
    expect(hourRange(early, tz)).toEqual({ min: 7, max: 22 });
    const late = calendarEvents(
      { bookings: [], slots: [slot("c", "23:00", "23:59", 1, 0, { endsAt: new Date("2026-12-11T00:30:00+08:00") })] },
      {
        locale: "zh-CN",
        showSlots: true,
        titles,
      },
    );
    expect(hourRange(late, tz)).toEqual({ min: 8, max: 24 });
  });

  it("has one column per resource, plus unassigned only when a block has no resource", () => {
    const all = [
      { id: "r1", name: "王师傅" },
      { id: "r2", name: "李师傅" },
    ];
    const a = calendarEvents(
      { bookings: [], slots: [slot("a", "09:00", "10:00", 1, 0, { resourceId: "r1" })] },
      {
        locale: "zh-CN",
        showSlots: true,
        titles,
      },
    );
    expect(calendarResources(a, all, "未指定").map((r) => r.id)).toEqual(["r1", "r2"]);
    const b = calendarEvents(
      { bookings: [], slots: [slot("b", "09:00", "10:00", 1, 0, { resourceId: null })] },
      {
        locale: "zh-CN",
        showSlots: true,
        titles,
      },
    );
    expect(calendarResources(b, all, "未指定").map((r) => r.id)).toEqual(["r1", "r2", "none"]);
  });
});
