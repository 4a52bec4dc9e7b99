import "server-only";
import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { bookings, type Booking, type Payment } from "@/db/schema";
import { audit } from "@/lib/audit";
import { isAppError, pgErrorCode } from "@/lib/errors";
import { bookingConfirmed } from "@/lib/notifications/booking-events";
import { enqueue } from "@/lib/jobs/enqueue";
import { recordPaid, refundUnplaced, type ApplyPaid, type PaidOutcome } from "@/lib/payments/apply-paid";
import { invalidateAvailability, slotChange } from "./availability-cache";
import { admitBooking, loadSlotContext, type SlotContext } from "./context";
import { closeOrdersJob } from "./payments";
import { takeSeats } from "./reserve";
import { bookingBalance } from "./money-facts";
import type { Balance } from "./money-status";
import { markOfferBooked } from "./waitlist-offers";

type Placed = { outcome: "confirmed" } | { outcome: "retaken"; retook: SlotContext } | { refused: string };

/**
 * Applies a verified "paid" fact once. In one transaction: the payments ledger records the gateway
 * event under its unique key (a redelivery stops here) and moves the payment to paid, then the
 * booking: pending_payment → confirmed; an expired hold re-takes its seat if the booking rules and
 * the customer's limits allow it now and the seat is still free (in a savepoint), otherwise — and
 * for a booking already paid or cancelled — the money is refunded automatically.
 * Messages are written to the outbox in the same transaction.
 */
export const applyPaid: ApplyPaid = async (db, payment, fact, actorLabel) => {
  const bookingId = payment.bookingId;
  if (!bookingId) throw new Error(`payment ${payment.id} is not a booking's`);
  const result = await db.transaction(async (tx): Promise<{ outcome: PaidOutcome; retook?: SlotContext }> => {
    const paid = await recordPaid(tx, payment, fact, actorLabel);
    if (paid === "duplicate" || paid === "already_paid") return { outcome: paid };
    if (paid.purpose === "balance") return { outcome: await placeBalance(tx, paid, bookingId, actorLabel) };
    const placed = await placePaidBooking(tx, bookingId, fact.amountFen, actorLabel);
    if ("outcome" in placed) {
      // The booking's other orders still open (an earlier attempt, another app) are superseded.
      await enqueue(tx, closeOrdersJob, { bookingId: bookingId, reason: "booking paid through another order" });
      return placed;
    }
    await refundUnplaced(tx, payment, fact.amountFen, placed.refused, actorLabel);
    return { outcome: "refunding" };
  });
  if (result.retook) {
    const c = result.retook;
    await invalidateAvailability(db, [slotChange(c)], c.business.timezone);
  }
  return result.outcome;
};

/**
 * The rest of a confirmed booking's price, paid online (the customer's "pay the balance"): nothing
 * to confirm and nobody to notify again; it is on the ledger. Under the booking's row lock, what now
 * exceeds the price (the desk took it meanwhile) or money for a booking no longer owing goes back.
 */
async function placeBalance(tx: Tx, payment: Payment, bookingId: string, actorLabel: string): Promise<PaidOutcome> {
  const [booking] = await tx.select().from(bookings).where(eq(bookings.id, bookingId)).for("update");
  if (!booking) throw new Error(`payment ${payment.id}: booking ${bookingId} is missing`);
  const b = await bookingBalance(tx, booking);
  // The balance counts this payment as paid: below zero is what it overpaid.
  const over = booking.status === "confirmed" || booking.status === "completed" ? overpaidFen(booking.priceFen, b) : payment.amountFen;
  await audit(tx, {
    actorLabel,
    action: "booking.balance_paid",
    entityType: "booking",
    entityId: booking.id,
    data: { paymentId: payment.id, amountFen: payment.amountFen, overpaidFen: over, status: booking.status },
  });
  if (over <= 0) return "confirmed";
  await refundUnplaced(tx, payment, Math.min(over, payment.amountFen), "reasonBalanceOverpaid", actorLabel);
  return "refunding";
}

const overpaidFen = (priceFen: number, b: Balance) => b.paidFen - b.refundedFen - b.refundingFen + b.cardFen - priceFen;

/** The booking's side of a payment received: confirm the hold, or re-take an expired one's seat, or say why not. */
async function placePaidBooking(tx: Tx, bookingId: string, amountFen: number, actorLabel: string): Promise<Placed> {
  const now = new Date();
  const [confirmed] = await tx
    .update(bookings)
    .set({ status: "confirmed", holdExpiresAt: null })
    .where(and(eq(bookings.id, bookingId), eq(bookings.status, "pending_payment")))
    .returning();
  if (confirmed) {
    await audit(tx, {
      actorLabel,
      action: "booking.confirmed",
      entityType: "booking",
      entityId: confirmed.id,
      reason: "reasonPaymentReceived",
    });
    await bookingConfirmed(tx, confirmed.id, amountFen);
    await markOfferBooked(tx, confirmed.id);
    return { outcome: "confirmed" };
  }
  const [booking] = await tx.select().from(bookings).where(eq(bookings.id, bookingId));
  let refused: string | null = null;
  if (booking?.status === "expired") {
    const ctx = await loadSlotContext(tx, booking.timeslotId);
    // Re-taking the seat is booking it now: the same rules and per-customer limits as createBooking.
    refused = await lateBookingRefusal(tx, ctx, booking, now);
    if (!refused) {
      try {
        // The same staff member when they are still free, else another by the service's policy.
        const staffId = await tx.transaction((sp) => takeSeats(sp, ctx, booking.seats, { staffId: booking.staffId, fallback: true }));
        await tx
          .update(bookings)
          .set({ status: "confirmed", holdExpiresAt: null, staffId })
          .where(and(eq(bookings.id, booking.id), eq(bookings.status, "expired")));
        await audit(tx, {
          actorLabel,
          action: "booking.confirmed",
          entityType: "booking",
          entityId: booking.id,
          reason: "reasonLatePaymentRetook",
        });
        await bookingConfirmed(tx, booking.id, amountFen);
        return { outcome: "retaken", retook: ctx };
      } catch (e) {
        if (!isAppError(e) && pgErrorCode(e) !== "23P01") throw e;
      }
    }
  }
  return {
    refused: refused
      ? `late payment refused by the booking rules: ${refused}`
      : booking?.status === "expired"
        ? "reasonSeatGone"
        : `booking is ${booking?.status ?? "missing"}`,
  };
}

/**
 * Why an expired booking may not take its seat again now, or null: admitBooking, the very check
 * createBooking runs (rules, custom rules and per-customer limits, counted under the customer's row
 * lock; the booking itself, being expired, is not among the customer's active ones). A malformed
 * custom rule refuses too: the money goes back rather than the notice failing forever.
 */
async function lateBookingRefusal(tx: Tx, ctx: SlotContext, booking: Booking, now: Date): Promise<string | null> {
  try {
    await admitBooking(tx, { ctx, customerId: booking.customerId, seats: booking.seats, now, locale: "en", excludeBookingId: booking.id });
    return null;
  } catch (e) {
    if (!isAppError(e)) throw e;
    const violations = (e.details as { violations?: { rule: string }[] } | undefined)?.violations;
    return violations ? `${violations.map((v) => v.rule).join(", ")} (${e.message})` : e.message;
  }
}
