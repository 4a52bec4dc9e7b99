import "server-only";
import { and, eq, gte, inArray, lt, notInArray, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import type { Tx } from "@/db/client";
import { bookings, resourceBusy, timeslots } from "@/db/schema";
import { AppError, pgErrorCode } from "@/lib/errors";
import type { SlotContext } from "./context";
import { busyRange, freeStaffBySlot, type StaffMember } from "./staff-slots";

/** Who serves a booking: a staff member the customer picked, or null for "any available". */
export type StaffChoice = {
  staffId?: string | null;
  /** When the picked one is not free, assign another by the policy instead of failing (a re-taken seat). */
  fallback?: boolean;
};

/** The seats each staff member serves, for the least-booked policy (that local day) or round-robin (this service). */
async function loads(tx: Tx, ctx: SlotContext, ids: string[]): Promise<Map<string, number>> {
  const zone = ctx.business.timezone;
  const day = DateTime.fromJSDate(ctx.slot.startsAt, { zone }).startOf("day");
  const scope =
    ctx.service.staffPolicy === "least_booked"
      ? and(gte(timeslots.startsAt, day.toJSDate()), lt(timeslots.startsAt, day.plus({ days: 1 }).toJSDate()))
      : eq(bookings.serviceId, ctx.service.id);
  const rows = await tx
    .select({ staffId: bookings.staffId, seats: sql<number>`sum(${bookings.seats})`.mapWith(Number) })
    .from(bookings)
    .innerJoin(timeslots, eq(timeslots.id, bookings.timeslotId))
    .where(and(inArray(bookings.staffId, ids), notInArray(bookings.status, ["expired", "cancelled"]), scope))
    .groupBy(bookings.staffId);
  return new Map(rows.map((r) => [r.staffId ?? "", r.seats]));
}

/**
 * The order "any available" tries the free staff in. least_booked: fewest seats that local day,
 * across services. round_robin: fewest of this service's seats per unit of weight, so a weight-2
 * stylist takes two bookings for every one of a weight-1 colleague. Ties: higher weight, then name.
 */
export async function policyOrder(tx: Tx, ctx: SlotContext, free: StaffMember[]): Promise<StaffMember[]> {
  const load = await loads(
    tx,
    ctx,
    free.map((m) => m.id),
  );
  const score = (m: StaffMember) => (load.get(m.id) ?? 0) / (ctx.service.staffPolicy === "round_robin" ? m.weight : 1);
  return [...free].sort((a, b) => score(a) - score(b) || b.weight - a.weight || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/**
 * Assigns the booking's staff member inside its transaction, after its seats were taken: the
 * picked one, or the free ones in the service's policy order. Each try is one conditional upsert of
 * the staff member's busy row for the slot (their seats in it never pass the service's capacity)
 * in a savepoint; an overlap with their booking elsewhere (the exclusion constraint, 23P01, also
 * raised after waiting for a racing transaction's commit) or a full row moves on to the next. No
 * staff left: RESOURCE_BUSY, and the caller's transaction rolls back. Null when nobody offers the
 * service (`members`, loaded by the caller before it locked the slot: loadServiceStaff).
 */
export async function assignStaff(
  tx: Tx,
  ctx: SlotContext,
  seats: number,
  choice: StaffChoice,
  members: StaffMember[] | null,
): Promise<string | null> {
  if (members === null) {
    if (choice.staffId) throw new AppError("NOT_FOUND", "staffNotFound");
    return null;
  }
  const buffers = { before: ctx.service.bufferBeforeMin, after: ctx.service.bufferAfterMin };
  if (choice.staffId && !members.some((m) => m.id === choice.staffId)) throw new AppError("NOT_FOUND", "staffNotFound");
  const free = await freeStaffBySlot(tx, {
    serviceId: ctx.service.id,
    capacity: ctx.service.capacity,
    slots: [ctx.slot],
    buffers,
    timezone: ctx.business.timezone,
    members,
  });
  const open = new Set((free?.get(ctx.slot.id) ?? []).filter((s) => s.left >= seats).map((s) => s.id));
  const candidates = members.filter((m) => open.has(m.id));
  const picked = candidates.filter((m) => m.id === choice.staffId);
  const order =
    choice.staffId && !choice.fallback
      ? picked
      : [...picked, ...(await policyOrder(tx, ctx, candidates)).filter((m) => m.id !== choice.staffId)];
  const during = busyRange(ctx.slot, buffers);
  for (const m of order) {
    try {
      const taken = await tx.transaction(async (sp) =>
        sp
          .insert(resourceBusy)
          .values({ resourceId: m.id, timeslotId: ctx.slot.id, during, seats, shared: false })
          .onConflictDoUpdate({
            target: [resourceBusy.timeslotId, resourceBusy.resourceId],
            set: { seats: sql`${resourceBusy.seats} + ${seats}`, active: true, during, shared: false },
            setWhere: sql`${resourceBusy.seats} + ${seats} <= ${ctx.service.capacity}`,
          })
          .returning({ id: resourceBusy.id }),
      );
      if (taken.length > 0) return m.id;
    } catch (e) {
      if (pgErrorCode(e) !== "23P01") throw e;
    }
  }
  throw new AppError("RESOURCE_BUSY", choice.staffId ? "staffBusy" : "resourceBusy");
}
