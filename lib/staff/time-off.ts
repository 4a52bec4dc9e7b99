import "server-only";
import { and, asc, eq, gt, inArray, lt } from "drizzle-orm";
import { getDb, type Db, type DbOrTx } from "@/db/client";
import { bookings, resources, staffTimeOff, timeslots, type StaffTimeOff } from "@/db/schema";
import { audit } from "@/lib/audit";
import { activeStatuses } from "@/lib/booking/dto";
import { invalidateStaffDays } from "@/lib/booking/availability-cache";
import { currentBusiness } from "@/lib/business/queries";
import { AppError } from "@/lib/errors";
import type { TimeOffInput } from "@/lib/validations/service";

async function requireStaff(db: DbOrTx, businessId: string, resourceId: string) {
  const [row] = await db
    .select({ id: resources.id })
    .from(resources)
    .where(and(eq(resources.id, resourceId), eq(resources.businessId, businessId), eq(resources.kind, "staff")))
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND", "staffNotFound");
}

/** The staff member's bookings that still hold a seat inside a range: what an absence leaves to settle. */
export async function bookingsDuring(db: DbOrTx, resourceId: string, from: Date, to: Date): Promise<string[]> {
  const rows = await db
    .select({ id: bookings.id })
    .from(bookings)
    .innerJoin(timeslots, eq(timeslots.id, bookings.timeslotId))
    .where(
      and(
        eq(bookings.staffId, resourceId),
        inArray(bookings.status, [...activeStatuses]),
        lt(timeslots.startsAt, to),
        gt(timeslots.endsAt, from),
      ),
    );
  return rows.map((r) => r.id);
}

/**
 * Records a staff member's leave or sick day: from then on nobody is assigned to them over it, and
 * only their free times go (their services' cached days in the range, after the commit). Bookings
 * they already hold there are kept and returned, for staff to move or cancel.
 */
export async function addTimeOff(
  resourceId: string,
  input: TimeOffInput,
  actorId: string,
  db: Db = getDb(),
): Promise<{ timeOff: StaffTimeOff; affectedBookingIds: string[] }> {
  const business = await currentBusiness(db);
  await requireStaff(db, business.id, resourceId);
  const timeOff = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(staffTimeOff)
      .values({ resourceId, startsAt: input.startsAt, endsAt: input.endsAt, kind: input.kind, note: input.note, createdBy: actorId })
      .returning();
    if (!row) throw new AppError("INTERNAL", "time off not recorded");
    await audit(tx, {
      actorId,
      action: "staff.time_off_added",
      entityType: "resource",
      entityId: resourceId,
      data: { id: row.id, kind: row.kind, startsAt: row.startsAt.toISOString(), endsAt: row.endsAt.toISOString() },
    });
    return row;
  });
  await invalidateStaffDays(db, { resourceId, timezone: business.timezone, from: timeOff.startsAt, to: timeOff.endsAt });
  return { timeOff, affectedBookingIds: await bookingsDuring(db, resourceId, timeOff.startsAt, timeOff.endsAt) };
}

/** Removes an absence: the staff member's times in it come back. */
export async function removeTimeOff(resourceId: string, timeOffId: string, actorId: string, db: Db = getDb()): Promise<void> {
  const business = await currentBusiness(db);
  await requireStaff(db, business.id, resourceId);
  const removed = await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(staffTimeOff)
      .where(and(eq(staffTimeOff.id, timeOffId), eq(staffTimeOff.resourceId, resourceId)))
      .returning();
    if (!row) throw new AppError("NOT_FOUND", "timeOffNotFound");
    await audit(tx, { actorId, action: "staff.time_off_removed", entityType: "resource", entityId: resourceId, data: { id: row.id } });
    return row;
  });
  await invalidateStaffDays(db, { resourceId, timezone: business.timezone, from: removed.startsAt, to: removed.endsAt });
}

/** A staff member's absences that end after `from`, soonest first. */
export async function listTimeOff(db: DbOrTx, resourceId: string, from: Date): Promise<StaffTimeOff[]> {
  return db
    .select()
    .from(staffTimeOff)
    .where(and(eq(staffTimeOff.resourceId, resourceId), gt(staffTimeOff.endsAt, from)))
    .orderBy(asc(staffTimeOff.startsAt));
}
