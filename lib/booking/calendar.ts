import "server-only";
import { and, asc, eq, gte, inArray, isNull, lt, or } from "drizzle-orm";
import { DateTime } from "luxon";
import type { DbOrTx } from "@/db/client";
import { bookings, services, timeslots } from "@/db/schema";
import { bookingRowsQuery, type BookingRow } from "./staff-queries";

export type CalendarView = "day" | "week" | "month";

export type CalendarSlot = {
  id: string;
  serviceId: string;
  serviceName: string;
  serviceNameEn: string | null;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  bookedCount: number;
  status: "open" | "closed";
};

/** The instants a calendar view around `date` shows (weeks start on Monday, month views pad to whole weeks). */
export function calendarRange(
  date: string | undefined,
  view: CalendarView,
  timezone: string,
  now = new Date(),
): { date: string; start: Date; end: Date } {
  const parsed = date ? DateTime.fromISO(date, { zone: timezone }) : null;
  const d = parsed?.isValid ? parsed.startOf("day") : DateTime.fromJSDate(now, { zone: timezone }).startOf("day");
  let start = d;
  let end = d.plus({ days: 1 });
  if (view === "week") {
    start = d.startOf("week");
    end = start.plus({ weeks: 1 });
  } else if (view === "month") {
    start = d.startOf("month").startOf("week");
    end = d.endOf("month").startOf("week").plus({ weeks: 1 });
  }
  return { date: d.toISODate() ?? "", start: start.toJSDate(), end: end.toJSDate() };
}

/**
 * Bookings (not expired or cancelled) and timeslots in [start, end) for the staff calendar, optionally
 * narrowed to one service or one resource (a slot's own resource, else its service's).
 */
export async function calendarData(
  db: DbOrTx,
  input: { start: Date; end: Date; serviceId?: string; resourceId?: string },
): Promise<{ bookings: BookingRow[]; slots: CalendarSlot[] }> {
  const byService = input.serviceId ? eq(services.id, input.serviceId) : undefined;
  const byResource = input.resourceId
    ? or(eq(timeslots.resourceId, input.resourceId), and(isNull(timeslots.resourceId), eq(services.resourceId, input.resourceId)))
    : undefined;
  const inRange = and(gte(timeslots.startsAt, input.start), lt(timeslots.startsAt, input.end));
  const rows = await bookingRowsQuery(db)
    .where(and(inRange, byService, byResource, inArray(bookings.status, ["pending_payment", "confirmed", "completed", "no_show"])))
    .orderBy(asc(timeslots.startsAt))
    .limit(2000);
  const slots = await db
    .select({
      id: timeslots.id,
      serviceId: services.id,
      serviceName: services.name,
      serviceNameEn: services.nameEn,
      startsAt: timeslots.startsAt,
      endsAt: timeslots.endsAt,
      capacity: timeslots.capacity,
      bookedCount: timeslots.bookedCount,
      status: timeslots.status,
    })
    .from(timeslots)
    .innerJoin(services, eq(services.id, timeslots.serviceId))
    .where(and(inRange, byService, byResource))
    .orderBy(asc(timeslots.startsAt))
    .limit(3000);
  return { bookings: rows, slots };
}
