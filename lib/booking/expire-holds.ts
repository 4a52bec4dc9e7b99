import "server-only";
import { and, eq, lte } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { selectBookingRecords } from "@/db/booking-record";
import { bookings } from "@/db/schema";
import { audit } from "@/lib/audit";
import { invalidateAvailability, slotChange } from "./availability-cache";
import { release } from "./reserve";
import { afterBookingWrite } from "./side-effects";
import { offerFreedSeats } from "./waitlist-offers";

/**
 * Expires unpaid holds whose deadline has passed and gives their seats back. Each booking moves in
 * its own guarded transaction (`where status = 'pending_payment'`), so a payment confirmed at the
 * same moment wins cleanly and two sweepers never release a seat twice.
 */
export async function expireHolds(now = new Date(), db: Db = getDb(), limit = 200): Promise<string[]> {
  const due = await selectBookingRecords(db, and(eq(bookings.status, "pending_payment"), lte(bookings.holdExpiresAt, now))).limit(limit);
  const expired: string[] = [];
  for (const d of due) {
    const done = await db.transaction(async (tx) => {
      const [row] = await tx
        .update(bookings)
        .set({ status: "expired" })
        .where(and(eq(bookings.id, d.booking.id), eq(bookings.status, "pending_payment"), lte(bookings.holdExpiresAt, now)))
        .returning();
      if (!row) return false;
      await release(tx, row);
      await offerFreedSeats(tx, row.timeslotId, now, row);
      await audit(tx, {
        actorLabel: "system",
        action: "booking.expired",
        entityType: "booking",
        entityId: row.id,
        reason: "reasonHoldExpired",
      });
      await afterBookingWrite(tx, { kind: "expired", booking: row });
      return true;
    });
    if (done) {
      expired.push(d.booking.id);
      await invalidateAvailability(db, [slotChange(d)], d.business.timezone);
    }
  }
  return expired;
}
