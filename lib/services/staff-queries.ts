import "server-only";
import { and, asc, count, eq, gte, lt, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { qualified } from "@/db/sql";
import { resources, schedules, services, timeslots, type Schedule, type Service } from "@/db/schema";
import { AppError } from "@/lib/errors";

export type ServiceListRow = Service & { resourceName: string | null; upcomingSlots: number; hasSchedule: boolean };

/** Every service, active or not, with what staff check at a glance. */
export async function listServicesForStaff(db: DbOrTx, now = new Date()): Promise<ServiceListRow[]> {
  const rows = await db
    .select({
      service: services,
      resourceName: resources.name,
      hasSchedule: sql<boolean>`exists (select 1 from ${schedules} s where s.service_id = ${qualified(services.id)})`,
      upcoming: sql<number>`(select count(*) from ${timeslots} t where t.service_id = ${qualified(services.id)} and t.starts_at > ${now.toISOString()}::timestamptz and t.status = 'open')::int`,
    })
    .from(services)
    .leftJoin(resources, eq(resources.id, services.resourceId))
    .orderBy(asc(services.createdAt), asc(services.name));
  return rows.map((r) => ({
    ...r.service,
    resourceName: r.resourceName,
    upcomingSlots: Number(r.upcoming),
    hasSchedule: Boolean(r.hasSchedule),
  }));
}

export type SlotRow = { id: string; startsAt: Date; endsAt: Date; capacity: number; bookedCount: number; status: "open" | "closed" };

export type ServiceEditor = { service: Service; schedule: Schedule | null; slots: SlotRow[]; slotTotal: number };

/** A service with its schedule and its slots between two instants (the slot manager's page). */
export async function getServiceForEdit(db: DbOrTx, id: string, window: { start: Date; end: Date }): Promise<ServiceEditor> {
  const [row] = await db
    .select({ service: services, schedule: schedules })
    .from(services)
    .leftJoin(schedules, eq(schedules.serviceId, services.id))
    .where(eq(services.id, id))
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND", "serviceNotFound");
  const where = and(eq(timeslots.serviceId, id), gte(timeslots.startsAt, window.start), lt(timeslots.startsAt, window.end));
  const slots = await db
    .select({
      id: timeslots.id,
      startsAt: timeslots.startsAt,
      endsAt: timeslots.endsAt,
      capacity: timeslots.capacity,
      bookedCount: timeslots.bookedCount,
      status: timeslots.status,
    })
    .from(timeslots)
    .where(where)
    .orderBy(asc(timeslots.startsAt))
    .limit(400);
  const [total] = await db.select({ n: count() }).from(timeslots).where(where);
  return { service: row.service, schedule: row.schedule, slots, slotTotal: Number(total?.n ?? 0) };
}

/** Service options for filters and pickers. */
export async function serviceOptions(db: DbOrTx): Promise<{ id: string; name: string; nameEn: string | null; active: boolean }[]> {
  return db
    .select({ id: services.id, name: services.name, nameEn: services.nameEn, active: services.active })
    .from(services)
    .orderBy(asc(services.name));
}

/** Upcoming open slots of a service with seats left (pickers: book on behalf, dry-run, reschedule). */
export async function upcomingOpenSlots(
  db: DbOrTx,
  serviceId: string,
  now = new Date(),
  limit = 120,
): Promise<{ id: string; startsAt: Date; remaining: number }[]> {
  const rows = await db
    .select({ id: timeslots.id, startsAt: timeslots.startsAt, capacity: timeslots.capacity, bookedCount: timeslots.bookedCount })
    .from(timeslots)
    .where(
      and(
        eq(timeslots.serviceId, serviceId),
        eq(timeslots.status, "open"),
        gte(timeslots.startsAt, now),
        sql`${timeslots.bookedCount} < ${timeslots.capacity}`,
      ),
    )
    .orderBy(asc(timeslots.startsAt))
    .limit(limit);
  return rows.map((r) => ({ id: r.id, startsAt: r.startsAt, remaining: r.capacity - r.bookedCount }));
}
