import "server-only";
import { and, eq } from "drizzle-orm";
import { bookings } from "@/db/schema";
import { audit } from "@/lib/audit";
import { bookingConfirmed } from "@/lib/notifications/booking-events";
import { recordPaid, refundUnplaced, type ApplyPaid } from "@/lib/payments/apply-paid";

/**
 * A series' payment, applied once: in one transaction the ledger records the gateway event under
 * its unique key (a redelivery stops there) and moves the payment to paid, then every week still on
 * hold goes pending_payment → confirmed by one guarded update. Weeks whose hold ended meanwhile
 * (expired) or that were cancelled are not re-taken: their share goes back automatically.
 */
export const applySeriesPaid: ApplyPaid = async (db, payment, fact, actorLabel) => {
  const seriesId = payment.seriesId;
  if (!seriesId) throw new Error(`payment ${payment.id} is not a series'`);
  return db.transaction(async (tx) => {
    const paid = await recordPaid(tx, payment, fact, actorLabel);
    if (paid === "duplicate" || paid === "already_paid") return paid;
    const confirmed = await tx
      .update(bookings)
      .set({ status: "confirmed", holdExpiresAt: null })
      .where(and(eq(bookings.seriesId, seriesId), eq(bookings.status, "pending_payment")))
      .returning();
    for (const b of confirmed) {
      await audit(tx, { actorLabel, action: "booking.confirmed", entityType: "booking", entityId: b.id, reason: "reasonPaymentReceived" });
      await bookingConfirmed(tx, b.id, b.amountDueFen);
    }
    const placedFen = confirmed.reduce((s, b) => s + b.amountDueFen, 0);
    const unplaced = fact.amountFen - placedFen;
    if (unplaced > 0) await refundUnplaced(tx, payment, unplaced, "reasonSeatGone", actorLabel);
    return confirmed.length > 0 ? "confirmed" : "refunding";
  });
};
