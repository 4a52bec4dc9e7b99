import "server-only";
import { and, asc, count, eq, gt, inArray, lt, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { resources, serviceStaff, services, staffTimeOff, timeslots, type Resource } from "@/db/schema";
import { qualified } from "@/db/sql";
import { worksDuring, type Interval } from "./staff-hours";

/** A staff member free at a slot: the seats of it they can still take (the service's capacity, less theirs). */
export type SlotStaff = { id: string; left: number };

export type StaffMember = Pick<Resource, "id" | "name" | "title" | "photoUrl" | "weeklyHours" | "breaks" | "dateOverrides"> & {
  weight: number;
};

/** The active staff members who offer a service, by name. */
export async function serviceStaffMembers(db: DbOrTx, serviceId: string): Promise<StaffMember[]> {
  return db
    .select({
      id: resources.id,
      name: resources.name,
      title: resources.title,
      photoUrl: resources.photoUrl,
      weeklyHours: resources.weeklyHours,
      breaks: resources.breaks,
      dateOverrides: resources.dateOverrides,
      weight: serviceStaff.weight,
    })
    .from(serviceStaff)
    .innerJoin(resources, eq(resources.id, serviceStaff.resourceId))
    .where(and(eq(serviceStaff.serviceId, serviceId), eq(resources.active, true)))
    .orderBy(asc(resources.name), asc(resources.id));
}

/** How many staff members offer the service (active or not): a slot holds capacity × that many seats. */
export async function staffCount(db: DbOrTx, serviceId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(serviceStaff).where(eq(serviceStaff.serviceId, serviceId));
  return row?.n ?? 0;
}

/** The active staff of a service; null when nobody offers it (all of its staff inactive: []). */
export async function loadServiceStaff(db: DbOrTx, serviceId: string): Promise<StaffMember[] | null> {
  const members = await serviceStaffMembers(db, serviceId);
  if (members.length > 0) return members;
  return (await staffCount(db, serviceId)) > 0 ? [] : null;
}

/** A slot's seats: the service's capacity per staff member who offers it (one set without staff). */
export const slotCapacity = (capacity: number, staff: number) => capacity * Math.max(1, staff);

/** The same in SQL, for a statement that reads the services table. */
export const slotCapacitySql = sql`(${qualified(services.capacity)} * greatest(1,
  (select count(*) from service_staff ss where ss.service_id = ${qualified(services.id)})::int))`;

type SlotTimes = { id: string; startsAt: Date; endsAt: Date };

/**
 * The staff members free at each slot of a service, or null when no staff member offers it (the
 * slot's seats alone decide). Free: active, working over the slot and its buffers (their hours,
 * breaks, days off and time off; lib/booking/staff-hours), not busy at another slot overlapping it
 * (resource_busy, any service), and with seats left in this slot. Read in three statements for
 * all the slots, so availability and the booking's transaction use the one definition.
 */
export async function freeStaffBySlot(
  db: DbOrTx,
  input: {
    serviceId: string;
    capacity: number;
    slots: readonly SlotTimes[];
    buffers: { before: number; after: number };
    timezone: string;
    /** Loaded already (loadServiceStaff): null, nobody offers the service. */
    members?: StaffMember[] | null;
  },
): Promise<Map<string, SlotStaff[]> | null> {
  const members = input.members === undefined ? await loadServiceStaff(db, input.serviceId) : input.members;
  if (members === null) return null;
  if (members.length === 0) return new Map(input.slots.map((s) => [s.id, []]));
  const out = new Map<string, SlotStaff[]>(input.slots.map((s) => [s.id, []]));
  if (input.slots.length === 0) return out;
  const ids = members.map((m) => m.id);
  const padded = (s: SlotTimes): Interval => ({
    startsAt: new Date(s.startsAt.getTime() - input.buffers.before * 60_000),
    endsAt: new Date(s.endsAt.getTime() + input.buffers.after * 60_000),
  });
  const span = input.slots.map(padded);
  const first = new Date(Math.min(...span.map((s) => s.startsAt.getTime())));
  const last = new Date(Math.max(...span.map((s) => s.endsAt.getTime())));
  const absences = await db
    .select({ resourceId: staffTimeOff.resourceId, startsAt: staffTimeOff.startsAt, endsAt: staffTimeOff.endsAt })
    .from(staffTimeOff)
    .where(and(inArray(staffTimeOff.resourceId, ids), lt(staffTimeOff.startsAt, last), gt(staffTimeOff.endsAt, first)));
  const slotIds = input.slots.map((s) => s.id);
  const during = sql`tstzrange(${qualified(timeslots.startsAt)} - make_interval(mins => ${input.buffers.before}),
    ${qualified(timeslots.endsAt)} + make_interval(mins => ${input.buffers.after}), '[)')`;
  const taken = await db
    .select({
      slotId: timeslots.id,
      resourceId: serviceStaff.resourceId,
      seats: sql<number>`coalesce((select own.seats from resource_busy own where own.timeslot_id = ${qualified(timeslots.id)}
        and own.resource_id = ${qualified(serviceStaff.resourceId)} and own.active), 0)`.mapWith(Number),
      busy: sql<boolean>`exists (select 1 from resource_busy rb where rb.resource_id = ${qualified(serviceStaff.resourceId)}
        and rb.active and rb.timeslot_id <> ${qualified(timeslots.id)} and rb.during && ${during})`,
    })
    .from(timeslots)
    .innerJoin(serviceStaff, eq(serviceStaff.serviceId, timeslots.serviceId))
    .where(and(inArray(timeslots.id, slotIds), inArray(serviceStaff.resourceId, ids)));
  const state = new Map(taken.map((t) => [`${t.slotId}:${t.resourceId}`, t]));
  for (const [n, slot] of input.slots.entries()) {
    const list = out.get(slot.id)!;
    for (const m of members) {
      const t = state.get(`${slot.id}:${m.id}`);
      const left = input.capacity - (t?.seats ?? 0);
      if (!t || t.busy || left <= 0) continue;
      const off = absences.filter((a) => a.resourceId === m.id);
      if (!worksDuring(m, off, span[n]!, input.timezone)) continue;
      list.push({ id: m.id, left });
    }
  }
  return out;
}

/** The busy row of (slot, resource) as a tstzrange literal, buffers included. */
export function busyRange(slot: { startsAt: Date; endsAt: Date }, buffers: { before: number; after: number }): string {
  const from = new Date(slot.startsAt.getTime() - buffers.before * 60_000);
  const to = new Date(slot.endsAt.getTime() + buffers.after * 60_000);
  return `[${from.toISOString()},${to.toISOString()})`;
}
