import "server-only";
import { and, asc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { bookings, payments, refunds, resources, services, timeslots } from "@/db/schema";
import { withMoneyStatus } from "@/lib/booking/money-facts";
import { bookingRowsQuery, slotResourceId, type MoneyRow } from "@/lib/booking/staff-queries";
import { dayRange, type DayRange } from "@/lib/booking/day-range";
import { localDaySql } from "./sql";

/** Today's appointments (business zone) that still matter at the desk: not expired, not cancelled. */
export async function todaysAppointments(db: DbOrTx, timezone: string, now = new Date()): Promise<MoneyRow[]> {
  const today = dayRange({}, timezone, now, { defaultDays: 1 });
  const rows = await bookingRowsQuery(db)
    .where(
      and(
        gte(timeslots.startsAt, today.start),
        lt(timeslots.startsAt, today.end),
        inArray(bookings.status, ["pending_payment", "confirmed", "completed", "no_show"]),
      ),
    )
    .orderBy(asc(timeslots.startsAt));
  return withMoneyStatus(db, rows);
}

/** Appointments of the next `days` days after today (business zone), for the overview's week ahead. */
export async function upcomingAppointments(db: DbOrTx, timezone: string, days = 7, now = new Date()): Promise<MoneyRow[]> {
  const today = dayRange({}, timezone, now, { defaultDays: 1 });
  const end = new Date(today.end.getTime() + days * 24 * 3600_000);
  const rows = await bookingRowsQuery(db)
    .where(and(gte(timeslots.startsAt, today.end), lt(timeslots.startsAt, end), inArray(bookings.status, ["pending_payment", "confirmed"])))
    .orderBy(asc(timeslots.startsAt))
    .limit(500);
  return withMoneyStatus(db, rows);
}

export type DayStats = {
  day: string;
  booked: number;
  completed: number;
  noShow: number;
  cancelled: number;
  paidFen: number;
  refundedFen: number;
  noShowRate: number | null;
};
export type Occupancy = { id: string | null; name: string; bookedSeats: number; capacity: number; rate: number };
export type OverviewStats = {
  range: DayRange;
  days: DayStats[];
  byService: Occupancy[];
  byResource: Occupancy[];
  totals: { bookings: number; paidFen: number; refundedFen: number; occupancy: number; noShowRate: number | null };
};

const rate = (num: number, den: number) => (den > 0 ? num / den : null);

/**
 * The charts of the overview over local dates [from, to]: appointments per day by outcome, money in
 * (payments by paid date) and out (succeeded refunds by completion date), seat occupancy of open and
 * closed slots per service and per resource, and the no-show rate among appointments that were due
 * (completed + no-show + confirmed whose slot has ended).
 */
export async function overviewStats(
  db: DbOrTx,
  timezone: string,
  input: { from?: string; to?: string },
  now = new Date(),
): Promise<OverviewStats> {
  const range = dayRange(input, timezone, now, { defaultDays: 14, maxDays: 92 });
  const inRange = (col: typeof timeslots.startsAt) => and(gte(col, range.start), lt(col, range.end));
  const slotDay = localDaySql(timeslots.startsAt, timezone);
  const byStatus = await db
    .select({
      day: slotDay,
      status: bookings.status,
      ended: sql<boolean>`${timeslots.endsAt} <= ${now.toISOString()}::timestamptz`,
      n: sql<number>`count(*)::int`,
    })
    .from(bookings)
    .innerJoin(timeslots, eq(timeslots.id, bookings.timeslotId))
    .where(inRange(timeslots.startsAt))
    .groupBy(sql`1`, sql`2`, sql`3`);
  const paidDay = localDaySql(payments.paidAt, timezone);
  const paid = await db
    .select({ day: paidDay, fen: sql<number>`sum(${payments.amountFen})::int` })
    .from(payments)
    .where(and(gte(payments.paidAt, range.start), lt(payments.paidAt, range.end)))
    .groupBy(sql`1`);
  const refundDay = localDaySql(refunds.completedAt, timezone);
  const refunded = await db
    .select({ day: refundDay, fen: sql<number>`sum(${refunds.amountFen})::int` })
    .from(refunds)
    .where(and(eq(refunds.status, "succeeded"), gte(refunds.completedAt, range.start), lt(refunds.completedAt, range.end)))
    .groupBy(sql`1`);

  const days = new Map<string, DayStats & { due: number }>(
    range.days.map((d) => [
      d,
      { day: d, booked: 0, completed: 0, noShow: 0, cancelled: 0, paidFen: 0, refundedFen: 0, noShowRate: null, due: 0 },
    ]),
  );
  for (const r of byStatus) {
    const d = days.get(r.day);
    if (!d) continue;
    const n = Number(r.n);
    if (r.status === "cancelled" || r.status === "expired") d.cancelled += n;
    else d.booked += n;
    if (r.status === "completed") d.completed += n;
    if (r.status === "no_show") d.noShow += n;
    if (r.status === "completed" || r.status === "no_show" || (r.status === "confirmed" && r.ended)) d.due += n;
  }
  for (const r of paid) if (days.has(r.day)) days.get(r.day)!.paidFen = Number(r.fen);
  for (const r of refunded) if (days.has(r.day)) days.get(r.day)!.refundedFen = Number(r.fen);
  const list = [...days.values()].map(({ due, ...d }) => ({ ...d, noShowRate: rate(d.noShow, due) }));
  const due = [...days.values()].reduce((s, d) => s + d.due, 0);

  const occupancy = async (key: "service" | "resource") => {
    const rows = await db
      .select({
        id: key === "service" ? services.id : slotResourceId,
        name: key === "service" ? services.name : sql<string | null>`${resources.name}`,
        booked: sql<number>`coalesce(sum(${timeslots.bookedCount}), 0)::int`,
        capacity: sql<number>`coalesce(sum(${timeslots.capacity}), 0)::int`,
      })
      .from(timeslots)
      .innerJoin(services, eq(services.id, timeslots.serviceId))
      .leftJoin(resources, sql`${resources.id} = ${slotResourceId}`)
      .where(inRange(timeslots.startsAt))
      .groupBy(sql`1`, sql`2`);
    return rows
      .map((r) => ({
        id: r.id,
        name: r.name ?? "—",
        bookedSeats: Number(r.booked),
        capacity: Number(r.capacity),
        rate: rate(Number(r.booked), Number(r.capacity)) ?? 0,
      }))
      .sort((a, b) => b.rate - a.rate);
  };
  const byService = await occupancy("service");
  const byResource = (await occupancy("resource")).filter((r) => r.id !== null);
  const seats = byService.reduce((s, o) => s + o.bookedSeats, 0);
  const capacity = byService.reduce((s, o) => s + o.capacity, 0);
  return {
    range,
    days: list,
    byService,
    byResource,
    totals: {
      bookings: list.reduce((s, d) => s + d.booked, 0),
      paidFen: list.reduce((s, d) => s + d.paidFen, 0),
      refundedFen: list.reduce((s, d) => s + d.refundedFen, 0),
      occupancy: rate(seats, capacity) ?? 0,
      noShowRate: rate(
        list.reduce((s, d) => s + d.noShow, 0),
        due,
      ),
    },
  };
}
