import "server-only";
import { and, eq, inArray, ne } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { businesses, services, timeslots } from "@/db/schema";
import { audit } from "@/lib/audit";
import { invalidateAvailability } from "@/lib/booking/availability-cache";
import { generateTimeslots } from "@/lib/booking/generate-timeslots";
import { AppError } from "@/lib/errors";

/** Materialises the schedule for `days` dates from `from` (idempotent: existing slots are kept as they are). */
export async function generateSlotsByStaff(input: { serviceId: string; from?: string; days: number }, actorId: string, db: Db = getDb()) {
  // generateTimeslots invalidates the cache itself, so it runs outside a transaction (after its inserts).
  const r = await generateTimeslots(db, input.serviceId, { from: input.from, days: input.days });
  await audit(db, {
    actorId,
    action: "timeslots.generated",
    entityType: "service",
    entityId: input.serviceId,
    data: { ...r, from: input.from ?? null, days: input.days },
  });
  return r;
}

/**
 * Closes or reopens slots: a closed slot takes no new booking (bookings already in it stay). Only rows
 * whose status actually changes are touched and audited; the days they are on leave the availability
 * cache after the commit.
 */
export async function setSlotStatus(
  input: { slotIds: string[]; status: "open" | "closed" },
  actorId: string,
  db: Db = getDb(),
): Promise<number> {
  const changed = await db.transaction(async (tx) => {
    const rows = await tx
      .update(timeslots)
      .set({ status: input.status })
      .where(and(inArray(timeslots.id, input.slotIds), ne(timeslots.status, input.status)))
      .returning({
        id: timeslots.id,
        slotId: timeslots.id,
        serviceId: timeslots.serviceId,
        resourceId: timeslots.resourceId,
        startsAt: timeslots.startsAt,
        endsAt: timeslots.endsAt,
      });
    for (const r of rows) {
      await audit(tx, {
        actorId,
        action: input.status === "closed" ? "timeslot.closed" : "timeslot.reopened",
        entityType: "timeslot",
        entityId: r.id,
        data: { serviceId: r.serviceId, startsAt: r.startsAt.toISOString() },
      });
    }
    return rows;
  });
  if (changed.length > 0) {
    const [first] = changed;
    const [zone] = await db
      .select({ tz: businesses.timezone })
      .from(services)
      .innerJoin(businesses, eq(businesses.id, services.businessId))
      .where(eq(services.id, first!.serviceId));
    if (!zone) throw new AppError("NOT_FOUND", "serviceNotFound");
    await invalidateAvailability(db, changed, zone.tz);
  }
  return changed.length;
}
