import { DateTime } from "luxon";
import type { DateOverrides, TimeRange, WeeklyHours } from "@/db/schema/services";

/** A staff member's own hours: null weekly hours means whenever their services are open. */
export type StaffHours = { weeklyHours: WeeklyHours | null; breaks: WeeklyHours; dateOverrides: DateOverrides };
export type Interval = { startsAt: Date; endsAt: Date };

const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

/** The instants of a local range on a date; an end at or before the start runs into the next day. */
function toInterval(date: DateTime, range: TimeRange): [number, number] {
  const at = (time: string) => {
    const [h, m] = time.split(":").map(Number);
    return date.set({ hour: 0, minute: 0, second: 0, millisecond: 0 }).plus({ hours: h ?? 0, minutes: m ?? 0 });
  };
  const start = at(range.start);
  let end = at(range.end);
  if (end <= start) end = end.plus({ days: 1 });
  return [start.toMillis(), end.toMillis()];
}

function rangesOn(date: DateTime, hours: WeeklyHours, overrides: DateOverrides | null): TimeRange[] | undefined {
  const key = date.toISODate() ?? "";
  if (overrides && key in overrides) return overrides[key];
  return hours[WEEKDAYS[date.weekday - 1]!];
}

/**
 * Whether a staff member works over the whole interval (a slot with its buffers), in the business
 * zone: inside one of their ranges of the day it starts on (or the day before, for a shift past
 * midnight), over none of their breaks (a date override replaces hours and breaks for that date)
 * and none of their time off. Pure, so tests pass fixed instants.
 */
export function worksDuring(staff: StaffHours, timeOff: readonly Interval[], interval: Interval, timezone: string): boolean {
  const from = interval.startsAt.getTime();
  const to = interval.endsAt.getTime();
  if (timeOff.some((o) => o.startsAt.getTime() < to && from < o.endsAt.getTime())) return false;
  const day = DateTime.fromMillis(from, { zone: timezone }).startOf("day");
  const days = [day.minus({ days: 1 }), day, day.plus({ days: 1 })];
  const breaks = days.flatMap((d) => {
    const overridden = (d.toISODate() ?? "") in staff.dateOverrides;
    return overridden ? [] : (staff.breaks[WEEKDAYS[d.weekday - 1]!] ?? []).map((r) => toInterval(d, r));
  });
  if (breaks.some(([s, e]) => s < to && from < e)) return false;
  const overrides = staff.dateOverrides;
  const hours = staff.weeklyHours;
  if (!hours) {
    // No hours of their own: only a date override of the start's day (a day off) narrows the service's.
    const key = day.toISODate() ?? "";
    if (!(key in overrides)) return true;
    return (overrides[key] ?? []).some((r) => {
      const [s, e] = toInterval(day, r);
      return s <= from && to <= e;
    });
  }
  return days.slice(0, 2).some((d) =>
    (rangesOn(d, hours, overrides) ?? []).some((r) => {
      const [s, e] = toInterval(d, r);
      return s <= from && to <= e;
    }),
  );
}
