import { DateTime } from "luxon";
import type { BookingRow } from "@/lib/booking/staff-queries";
import type { CalendarSlot } from "@/lib/booking/calendar";
import { serviceLabel } from "../format";
import type { CalEvent, CalResource } from "./types";

type Titles = {
  booking: (customer: string, service: string) => string;
  openSlot: (service: string, remaining: number, capacity: number) => string;
  closedSlot: (service: string) => string;
  classBlock: (service: string, booked: number, capacity: number) => string;
};

/**
 * The staff calendar's blocks. A slot of several seats (a class) with bookings is one block with its
 * roster and "booked/capacity", not a stack of customer blocks hiding each other; one-seat slots show
 * their booking. Free slots (open with room, or closed) show when `showSlots`; a class that still has
 * room offers booking on behalf from its own block.
 */
export function calendarEvents(
  data: { bookings: BookingRow[]; slots: CalendarSlot[] },
  opts: { locale: string; showSlots: boolean; titles: Titles },
): CalEvent[] {
  const { locale, titles } = opts;
  const slotById = new Map(data.slots.map((s) => [s.id, s]));
  const rosters = new Map<string, BookingRow[]>();
  const single: BookingRow[] = [];
  for (const b of data.bookings) {
    const slot = slotById.get(b.timeslotId);
    if (slot && slot.capacity > 1) {
      const list = rosters.get(slot.id) ?? [];
      list.push(b);
      rosters.set(slot.id, list);
    } else single.push(b);
  }
  const events: CalEvent[] = single.map((b) => ({
    kind: "booking",
    id: b.id,
    title: titles.booking(b.customerName, serviceLabel(b, locale)),
    start: b.startsAt.toISOString(),
    end: b.endsAt.toISOString(),
    status: b.status,
    code: b.code,
    customerName: b.customerName,
    customerPhone: b.customerPhone,
    serviceName: serviceLabel(b, locale),
    resourceId: b.resourceId,
    resourceName: b.resourceName,
    seats: b.seats,
    checkedIn: b.checkedInAt !== null,
  }));
  for (const s of data.slots) {
    const roster = rosters.get(s.id);
    const service = serviceLabel(s, locale);
    if (roster) {
      events.push({
        kind: "class",
        id: s.id,
        title: titles.classBlock(service, s.bookedCount, s.capacity),
        start: s.startsAt.toISOString(),
        end: s.endsAt.toISOString(),
        status: s.status,
        serviceId: s.serviceId,
        serviceName: service,
        resourceId: s.resourceId,
        resourceName: roster[0]?.resourceName ?? null,
        booked: s.bookedCount,
        remaining: Math.max(0, s.capacity - s.bookedCount),
        capacity: s.capacity,
        roster: roster.map((b) => ({
          id: b.id,
          code: b.code,
          customerName: b.customerName,
          status: b.status,
          seats: b.seats,
          checkedIn: b.checkedInAt !== null,
        })),
      });
    } else if (opts.showSlots && (s.status === "closed" || s.bookedCount < s.capacity)) {
      events.push({
        kind: "slot",
        id: s.id,
        title: s.status === "closed" ? titles.closedSlot(service) : titles.openSlot(service, s.capacity - s.bookedCount, s.capacity),
        start: s.startsAt.toISOString(),
        end: s.endsAt.toISOString(),
        status: s.status,
        serviceId: s.serviceId,
        serviceName: service,
        resourceId: s.resourceId,
        remaining: s.capacity - s.bookedCount,
        capacity: s.capacity,
      });
    }
  }
  return events.sort((a, b) => a.start.localeCompare(b.start));
}

/**
 * The hours the time grid shows: the working day (08–20 by default) widened to every block in view,
 * so a 07:00 class or a 21:00 appointment is on screen rather than scrolled out of sight.
 */
export function hourRange(events: CalEvent[], timezone: string, dflt: [number, number] = [8, 20]): { min: number; max: number } {
  let min = dflt[0];
  let max = dflt[1];
  for (const e of events) {
    const start = DateTime.fromISO(e.start, { zone: timezone });
    const end = DateTime.fromISO(e.end, { zone: timezone });
    min = Math.min(min, start.hour);
    // An end at 00:00 the next day (or later) fills the grid to midnight.
    const endHour = end.startOf("day") > start.startOf("day") ? 24 : end.hour + (end.minute > 0 ? 1 : 0);
    max = Math.max(max, endHour);
  }
  return { min, max: Math.min(24, max) };
}

/** Columns of the by-resource day view: one per staff member or room, plus "unassigned" when a block has none. */
export function calendarResources(events: CalEvent[], all: { id: string; name: string }[], unassigned: string): CalResource[] {
  const out: CalResource[] = all.map((r) => ({ id: r.id, title: r.name }));
  if (events.some((e) => e.resourceId === null)) out.push({ id: "none", title: unassigned });
  return out;
}
