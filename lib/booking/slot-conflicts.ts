import "server-only";
import { slotCapacitySql } from "@/lib/booking/staff-slots";
import { and, asc, eq, gt, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { getDb, type Db, type DbOrTx } from "@/db/client";
import { bookings, services, timeslots, users, type BookingStatus } from "@/db/schema";
import { audit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";
import { activeStatuses } from "@/lib/booking/dto";
import { reconcileServiceNow } from "@/lib/booking/reconcile-slots";
import { AppError } from "@/lib/errors";
import { cancelByStaff } from "./staff-commands";

export type ConflictBooking = { id: string; code: string; status: BookingStatus; seats: number; customerName: string; createdAt: Date };

/**
 * A future slot whose bookings an edit could not follow: `off_schedule` when the schedule or a holiday
 * no longer has it (it is closed to new bookings and kept for them), `over_capacity` when the service
 * now has fewer seats than are booked in it.
 */
export type SlotConflict = {
  slotId: string;
  serviceId: string;
  serviceName: string;
  serviceNameEn: string | null;
  startsAt: Date;
  endsAt: Date;
  bookedCount: number;
  capacity: number;
  reason: "off_schedule" | "over_capacity";
  bookings: ConflictBooking[];
};

const isConflict = (now: Date): SQL | undefined =>
  and(
    gt(timeslots.startsAt, now),
    gt(timeslots.bookedCount, 0),
    isNull(timeslots.conflictKeptAt),
    sql`(${timeslots.offScheduleAt} is not null or ${timeslots.bookedCount} > ${slotCapacitySql})`,
  );

/** Open conflicts, soonest first, each with its active bookings (what staff settle on the conflicts page and the staff API). */
export async function listSlotConflicts(
  db: DbOrTx,
  opts: { now?: Date; slotId?: string; serviceId?: string; limit?: number } = {},
): Promise<SlotConflict[]> {
  const now = opts.now ?? new Date();
  const slots = await db
    .select({
      slotId: timeslots.id,
      serviceId: services.id,
      serviceName: services.name,
      serviceNameEn: services.nameEn,
      startsAt: timeslots.startsAt,
      endsAt: timeslots.endsAt,
      bookedCount: timeslots.bookedCount,
      capacity: sql<number>`${slotCapacitySql}`.mapWith(Number),
      offScheduleAt: timeslots.offScheduleAt,
    })
    .from(timeslots)
    .innerJoin(services, eq(services.id, timeslots.serviceId))
    .where(
      and(
        isConflict(now),
        opts.slotId ? eq(timeslots.id, opts.slotId) : undefined,
        opts.serviceId ? eq(timeslots.serviceId, opts.serviceId) : undefined,
      ),
    )
    .orderBy(asc(timeslots.startsAt))
    .limit(opts.limit ?? 200);
  if (slots.length === 0) return [];
  const rows = await db
    .select({
      id: bookings.id,
      timeslotId: bookings.timeslotId,
      code: bookings.code,
      status: bookings.status,
      seats: bookings.seats,
      customerName: users.name,
      createdAt: bookings.createdAt,
    })
    .from(bookings)
    .innerJoin(users, eq(users.id, bookings.customerId))
    .where(
      and(
        inArray(
          bookings.timeslotId,
          slots.map((s) => s.slotId),
        ),
        inArray(bookings.status, [...activeStatuses]),
      ),
    )
    .orderBy(asc(bookings.createdAt));
  return slots.map(({ offScheduleAt, ...s }) => ({
    ...s,
    reason: offScheduleAt ? "off_schedule" : "over_capacity",
    bookings: rows.filter((b) => b.timeslotId === s.slotId).map(({ timeslotId: _slot, ...b }) => b),
  }));
}

/**
 * Settles one conflict. `keep`: the bookings stand and the slot leaves the list. `cancel`: through the
 * staff cancellation (refund per policy, customer notified, seats released), every active booking of an
 * off-schedule slot, or the latest bookings of an over-capacity slot until the rest fit; then the
 * slot's capacity follows the service again.
 */
export async function resolveSlotConflict(
  input: { slotId: string; action: "cancel" | "keep"; reason?: string; actor: Actor; now?: Date },
  db: Db = getDb(),
): Promise<{ cancelled: string[] }> {
  if (input.actor.role === "customer") throw new AppError("FORBIDDEN", "staffOnly");
  const now = input.now ?? new Date();
  const [conflict] = await listSlotConflicts(db, { now, slotId: input.slotId, limit: 1 });
  if (!conflict) throw new AppError("NOT_FOUND", "conflictNotFound");
  if (input.action === "keep") {
    await db.transaction(async (tx) => {
      await tx
        .update(timeslots)
        .set({ conflictKeptAt: now })
        .where(and(eq(timeslots.id, conflict.slotId), isNull(timeslots.conflictKeptAt)));
      await audit(tx, {
        actorId: input.actor.id,
        action: "timeslot.conflict_kept",
        entityType: "timeslot",
        entityId: conflict.slotId,
        reason: input.reason ?? null,
        data: { reason: conflict.reason, bookings: conflict.bookings.map((b) => b.code) },
      });
    });
    return { cancelled: [] };
  }
  let over = conflict.reason === "off_schedule" ? conflict.bookedCount : conflict.bookedCount - conflict.capacity;
  const newestFirst = [...conflict.bookings].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const reason = input.reason ?? (conflict.reason === "off_schedule" ? "closedAtThatTime" : "fewerSeatsNow");
  const cancelled: string[] = [];
  for (const b of newestFirst) {
    if (over <= 0) break;
    await cancelByStaff({ bookingId: b.id, actor: input.actor, reason }, db);
    cancelled.push(b.id);
    over -= b.seats;
  }
  await reconcileServiceNow(db, conflict.serviceId, now);
  return { cancelled };
}

/** How many conflicts are open (the dashboard's navigation badge). */
export async function countSlotConflicts(db: DbOrTx, now = new Date()): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(timeslots)
    .innerJoin(services, eq(services.id, timeslots.serviceId))
    .where(isConflict(now));
  return Number(row?.n ?? 0);
}
