import "server-only";
import { and, asc, desc, eq, gt, gte, inArray, isNotNull, isNull, lt, ne, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import type { Db, Tx } from "@/db/client";
import { qualified } from "@/db/sql";
import { businesses, schedules, services, timeslots } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { invalidateAvailability, localDate } from "./availability-cache";
import { slotCapacity, staffCount } from "@/lib/booking/staff-slots";
import { serviceSlots } from "./slots";
import { offerFreedSeats } from "./waitlist-offers";

export type ReconcileCounts = {
  /** New slots the schedule now asks for. */
  created: number;
  /** Unbooked slots that no longer fit, deleted. */
  removed: number;
  /** Slots that no longer fit but have bookings (or had some): closed to new bookings, kept. */
  closed: number;
  /** Slots closed by an earlier edit that fit again. */
  reopened: number;
  /** Slots whose capacity, end or resource followed the service. */
  updated: number;
  /** Future slots whose bookings no longer fit (closed ones with bookings, or more booked than the capacity). */
  conflicts: number;
};

/** What one service's reconcile changed: the counts, and the slots whose cached day must go after the commit. */
export type Reconciled = ReconcileCounts & { serviceId: string; timezone: string; touched: { id: string; startsAt: Date }[] };

const MAX_DAYS = 366;
const DAY_MS = 86_400_000;

const hasBookings = sql<boolean>`exists (select 1 from bookings b where b.timeslot_id = ${qualified(timeslots.id)})`;

/**
 * Brings one service's future slots in line with its schedule, the business holidays and the
 * service's capacity, duration and resource, in the caller's transaction (the edit that needs it):
 * - a slot that no longer fits and never had a booking is deleted;
 * - one that has (or had) bookings is kept for them and closed to new ones, once (staff may reopen
 *   it); with seats booked it is a conflict staff settle in the dashboard (cancel or keep);
 * - a slot closed that way that fits again reopens; slots the schedule now asks for are created;
 * - capacity follows the service on every future slot but never drops below what is booked.
 * The window is the schedule's (from today) or up to the last future slot, if staff generated further.
 * The service row is locked first (NO KEY UPDATE: bookings' foreign-key checks still pass), so two
 * edits of one service reconcile one after the other. Every statement that deletes or closes a slot
 * re-checks its seats, so a booking committed meanwhile is never lost: its slot is closed instead.
 * `within` limits the work to slots starting in that range (a holiday touches one day of every
 * service; the rest of each window is already in line).
 */
export async function reconcileService(
  tx: Tx,
  serviceId: string,
  now: Date,
  opts: { within?: { from: Date; to: Date } } = {},
): Promise<Reconciled> {
  const [row] = await tx
    .select({ service: services, schedule: schedules, timezone: businesses.timezone, holidays: businesses.holidays })
    .from(services)
    .innerJoin(businesses, eq(businesses.id, services.businessId))
    .leftJoin(schedules, eq(schedules.serviceId, services.id))
    .where(eq(services.id, serviceId))
    .for("no key update", { of: services });
  if (!row) throw new AppError("NOT_FOUND", "serviceNotFound");
  const { schedule, timezone } = row;
  // A slot holds the service's capacity per staff member who offers it.
  const service = { ...row.service, capacity: slotCapacity(row.service.capacity, await staffCount(tx, serviceId)) };
  const closedDates = new Set(row.holidays.map((h) => h.date));
  const range = (column: typeof timeslots.startsAt) =>
    and(gt(column, now), opts.within ? gte(column, opts.within.from) : undefined, opts.within ? lt(column, opts.within.to) : undefined);
  const inRange = (t: number) => t > now.getTime() && (!opts.within || (t >= opts.within.from.getTime() && t < opts.within.to.getTime()));

  const future = await tx
    .select({
      id: timeslots.id,
      startsAt: timeslots.startsAt,
      endsAt: timeslots.endsAt,
      bookedCount: timeslots.bookedCount,
      capacity: timeslots.capacity,
      resourceId: timeslots.resourceId,
      offScheduleAt: timeslots.offScheduleAt,
      conflictKeptAt: timeslots.conflictKeptAt,
      hasBookings,
    })
    .from(timeslots)
    .where(and(eq(timeslots.serviceId, serviceId), range(timeslots.startsAt)))
    .orderBy(asc(timeslots.startsAt));

  // Without a schedule only the holidays say what fits: such slots were made by hand.
  let desired: Map<number, Date> | null = null;
  if (schedule) {
    const [last] = await tx
      .select({ startsAt: timeslots.startsAt })
      .from(timeslots)
      .where(and(eq(timeslots.serviceId, serviceId), gt(timeslots.startsAt, now)))
      .orderBy(desc(timeslots.startsAt))
      .limit(1);
    const from = DateTime.fromJSDate(now, { zone: timezone }).startOf("day");
    const reach = last
      ? Math.floor((DateTime.fromJSDate(last.startsAt, { zone: timezone }).startOf("day").toMillis() - from.toMillis()) / DAY_MS) + 1
      : 0;
    const slots = serviceSlots(service, {
      schedule,
      timezone,
      from: from.toISODate() ?? "",
      days: Math.min(MAX_DAYS, Math.max(schedule.windowDays, reach)),
      now,
      closedDates: [...closedDates],
    });
    desired = new Map(slots.filter((s) => inRange(s.startsAt.getTime())).map((s) => [s.startsAt.getTime(), s.endsAt]));
  }

  const misfits: typeof future = [];
  const reshaped: typeof future = [];
  const refits: typeof future = [];
  for (const slot of future) {
    const end = desired
      ? desired.get(slot.startsAt.getTime())
      : closedDates.has(localDate(slot.startsAt, timezone))
        ? undefined
        : slot.endsAt;
    desired?.delete(slot.startsAt.getTime());
    // A new duration moves the end: an unbooked slot simply follows, a booked one keeps its time.
    if (end && end.getTime() !== slot.endsAt.getTime() && slot.bookedCount === 0 && !slot.hasBookings)
      reshaped.push({ ...slot, endsAt: end });
    else if (!end || end.getTime() !== slot.endsAt.getTime()) misfits.push(slot);
    else if (slot.offScheduleAt) refits.push(slot);
  }

  const touched: Reconciled["touched"] = [];
  const counts: ReconcileCounts = { created: 0, removed: 0, closed: 0, reopened: 0, updated: 0, conflicts: 0 };
  const misfitIds = misfits.map((s) => s.id);
  const misfitSet = new Set(misfitIds);
  if (misfitIds.length > 0) {
    const removed = await tx
      .delete(timeslots)
      .where(and(inArray(timeslots.id, misfitIds), eq(timeslots.bookedCount, 0), sql`not ${hasBookings}`))
      .returning({ id: timeslots.id, startsAt: timeslots.startsAt });
    counts.removed = removed.length;
    touched.push(...removed);
    const gone = new Set(removed.map((r) => r.id));
    const kept = misfitIds.filter((id) => !gone.has(id));
    if (kept.length > 0) {
      const closed = await tx
        .update(timeslots)
        .set({ status: "closed", offScheduleAt: now, conflictKeptAt: null })
        .where(and(inArray(timeslots.id, kept), isNull(timeslots.offScheduleAt)))
        .returning({ id: timeslots.id, startsAt: timeslots.startsAt });
      counts.closed = closed.length;
      touched.push(...closed);
    }
  }
  if (refits.length > 0) {
    const reopened = await tx
      .update(timeslots)
      .set({ status: "open", offScheduleAt: null, conflictKeptAt: null })
      .where(
        and(
          inArray(
            timeslots.id,
            refits.map((s) => s.id),
          ),
          isNotNull(timeslots.offScheduleAt),
        ),
      )
      .returning({ id: timeslots.id, startsAt: timeslots.startsAt });
    counts.reopened = reopened.length;
    touched.push(...reopened);
  }
  for (const slot of reshaped) {
    const [moved] = await tx
      .update(timeslots)
      .set({ endsAt: slot.endsAt, status: slot.offScheduleAt ? "open" : undefined, offScheduleAt: null })
      .where(and(eq(timeslots.id, slot.id), eq(timeslots.bookedCount, 0)))
      .returning({ id: timeslots.id, startsAt: timeslots.startsAt });
    if (moved) {
      counts.updated++;
      touched.push(moved);
    }
  }

  // Capacity follows the service, never below the seats taken; an unbooked slot follows its resource too.
  // The rows read above name the candidates; each statement re-checks against the rows as they are now.
  const capacity = sql`greatest(${service.capacity}::int, ${timeslots.bookedCount})`;
  const toResize = future.filter((f) => f.capacity !== Math.max(service.capacity, f.bookedCount)).map((f) => f.id);
  if (toResize.length > 0) {
    const resized = await tx
      .update(timeslots)
      .set({ capacity: sql`${capacity}` })
      .where(and(inArray(timeslots.id, toResize), ne(timeslots.capacity, capacity)))
      .returning({ id: timeslots.id, startsAt: timeslots.startsAt });
    counts.updated += resized.length;
    touched.push(...resized);
    // A raised capacity frees seats: the slot's waitlist gets them first, in this transaction.
    for (const r of resized) await offerFreedSeats(tx, r.id, now);
  }
  const toMove = future.filter((f) => f.bookedCount === 0 && f.resourceId !== service.resourceId).map((f) => f.id);
  if (toMove.length > 0) {
    const moved = await tx
      .update(timeslots)
      .set({ resourceId: service.resourceId })
      .where(
        and(
          inArray(timeslots.id, toMove),
          eq(timeslots.bookedCount, 0),
          sql`${timeslots.resourceId} is distinct from ${service.resourceId}`,
        ),
      )
      .returning({ id: timeslots.id, startsAt: timeslots.startsAt });
    counts.updated += moved.length;
    touched.push(...moved);
  }

  const missing = [...(desired ?? new Map<number, Date>()).entries()];
  for (let i = 0; i < missing.length; i += 500) {
    const created = await tx
      .insert(timeslots)
      .values(
        missing.slice(i, i + 500).map(([start, end]) => ({
          serviceId,
          resourceId: service.resourceId,
          startsAt: new Date(start),
          endsAt: end,
          capacity: service.capacity,
        })),
      )
      .onConflictDoNothing({ target: [timeslots.serviceId, timeslots.startsAt] })
      .returning({ id: timeslots.id, startsAt: timeslots.startsAt });
    counts.created += created.length;
    touched.push(...created);
  }

  // Conflicts among the slots looked at (every future one, or those `within`), as they now stand.
  const refitIds = new Set(refits.map((r) => r.id));
  counts.conflicts = future.filter((f) => {
    if (f.bookedCount === 0) return false;
    const offSchedule = misfitSet.has(f.id) || (f.offScheduleAt !== null && !refitIds.has(f.id));
    const kept = f.conflictKeptAt !== null && !refitIds.has(f.id) && !(misfitSet.has(f.id) && f.offScheduleAt === null);
    return !kept && (offSchedule || f.bookedCount > service.capacity);
  }).length;
  return { ...counts, serviceId, timezone, touched };
}

/**
 * Every service of the business, in id order (the order their rows are locked in, so two such runs
 * never deadlock), optionally only for slots starting in `within`.
 */
export async function reconcileBusiness(tx: Tx, businessId: string, now: Date, within?: { from: Date; to: Date }): Promise<Reconciled[]> {
  const rows = await tx.select({ id: services.id }).from(services).where(eq(services.businessId, businessId)).orderBy(asc(services.id));
  const out: Reconciled[] = [];
  for (const r of rows) out.push(await reconcileService(tx, r.id, now, { within }));
  return out;
}

/**
 * After the commit: the days whose slots changed leave the availability cache, and the slots' seat
 * gates are forgotten (their capacity or status may have changed). A reconcile never takes or frees
 * a staff member or room (the resource intervals belong to bookings, which it keeps), so other
 * services' days are unaffected and only the slots' own days go.
 */
export async function invalidateReconciled(db: Db, results: Reconciled[]): Promise<void> {
  for (const r of results) {
    if (r.touched.length === 0) continue;
    const changes = r.touched.map((t) => ({
      slotId: t.id,
      serviceId: r.serviceId,
      resourceId: null,
      startsAt: t.startsAt,
      endsAt: t.startsAt,
    }));
    await invalidateAvailability(db, changes, r.timezone);
  }
}

/** The totals of several services' reconciles (a holiday touches them all); of one, just its counts. */
export function sumCounts(results: ReconcileCounts[]): ReconcileCounts {
  const total: ReconcileCounts = { created: 0, removed: 0, closed: 0, reopened: 0, updated: 0, conflicts: 0 };
  for (const r of results) for (const k of Object.keys(total) as (keyof ReconcileCounts)[]) total[k] += r[k];
  return total;
}

export const countsOf = (r: ReconcileCounts): ReconcileCounts => sumCounts([r]);

/**
 * An edit of a service (its row, schedule or capacity) and the reconcile of its future slots in one
 * transaction, then the cached days it changed: what every write path of such an edit goes through.
 */
export async function editWithReconcile<T>(
  db: Db,
  serviceId: string,
  now: Date,
  edit: (tx: Tx) => Promise<T>,
): Promise<{ value: T; reconciled: Reconciled }> {
  const out = await db.transaction(async (tx) => {
    const value = await edit(tx);
    return { value, reconciled: await reconcileService(tx, serviceId, now) };
  });
  await invalidateReconciled(db, [out.reconciled]);
  return out;
}

/** One service's reconcile in its own transaction, then the cache (the daily roll and conflict resolution use it). */
export async function reconcileServiceNow(db: Db, serviceId: string, now = new Date()): Promise<ReconcileCounts> {
  const result = await db.transaction((tx) => reconcileService(tx, serviceId, now));
  await invalidateReconciled(db, [result]);
  return countsOf(result);
}
