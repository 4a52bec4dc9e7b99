import "server-only";
import { and, eq, lte, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { bookings, businesses, services, timeslots } from "@/db/schema";
import { audit } from "@/lib/audit";
import { invalidateAvailability } from "./availability-cache";
import { release } from "./reserve";
import { afterBookingWrite } from "./side-effects";

/**
 * Expires unpaid holds whose deadline has passed and gives their seats back. Each booking moves in
 * its own guarded transaction (`where status = 'pending_payment'`), so a payment confirmed at the
 * same moment wins cleanly and two sweepers never release a seat twice.
 */
export async function expireHolds(now = new Date(), db: Db = getDb(), limit = 200): Promise<string[]> {
  const due = await db
    .select({
      id: bookings.id,
      slotId: timeslots.id,
      serviceId: services.id,
      resourceId: sql<string | null>`coalesce(${timeslots.resourceId}, ${services.resourceId})`,
      startsAt: timeslots.startsAt,
      endsAt: timeslots.endsAt,
      timezone: businesses.timezone,
    })
    .from(bookings)
    .innerJoin(timeslots, eq(timeslots.id, bookings.timeslotId))
    .innerJoin(services, eq(services.id, bookings.serviceId))
    .innerJoin(businesses, eq(businesses.id, bookings.businessId))
    .where(and(eq(bookings.status, "pending_payment"), lte(bookings.holdExpiresAt, now)))
    .limit(limit);
  const expired: string[] = [];
  for (const d of due) {
    const done = await db.transaction(async (tx) => {
      const [row] = await tx
        .update(bookings)
        .set({ status: "expired" })
        .where(and(eq(bookings.id, d.id), eq(bookings.status, "pending_payment"), lte(bookings.holdExpiresAt, now)))
        .returning();
      if (!row) return false;
      await release(tx, row);
      await audit(tx, { actorLabel: "system", action: "booking.expired", entityType: "booking", entityId: row.id, reason: "hold expired" });
      await afterBookingWrite(tx, { kind: "expired", booking: row });
      return true;
    });
    if (done) {
      expired.push(d.id);
      await invalidateAvailability(db, [d], d.timezone);
    }
  }
  return expired;
}
