import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { bookings, paymentEvents, payments, type Booking, type Payment } from "@/db/schema";
import { audit } from "@/lib/audit";
import { invalidateAvailability, slotChange } from "@/lib/booking/availability-cache";
import { admitBooking, loadSlotContext, type SlotContext } from "@/lib/booking/context";
import { takeSeats } from "@/lib/booking/reserve";
import { isAppError, pgErrorCode } from "@/lib/errors";
import { bookingConfirmed } from "@/lib/notifications/booking-events";
import { requestRefund } from "./refunds";

export type PaidFact = { eventKey: string; gatewayTradeNo: string; amountFen: number; kind: string; payload: Record<string, unknown> };
export type PaidOutcome = "duplicate" | "already_paid" | "confirmed" | "retaken" | "refunding";

/**
 * Applies a verified "paid" fact once. In one transaction: record the gateway event under its
 * unique key (a redelivery stops here), move the payment to paid, then the booking:
 * pending_payment → confirmed; an expired hold re-takes its seat if the booking rules and the
 * customer's limits allow it now and the seat is still free (in a savepoint), otherwise — and for
 * a booking already paid or cancelled — the money is refunded automatically.
 * Messages are written to the outbox in the same transaction.
 */
export async function applyPaid(db: Db, payment: Payment, fact: PaidFact, actorLabel: string): Promise<PaidOutcome> {
  const result = await db.transaction(
    async (tx): Promise<{ outcome: PaidOutcome; retook?: Awaited<ReturnType<typeof loadSlotContext>> }> => {
      const [event] = await tx
        .insert(paymentEvents)
        .values({
          provider: payment.provider,
          eventKey: fact.eventKey,
          paymentId: payment.id,
          kind: fact.kind,
          payload: fact.payload,
          outcome: "paid",
        })
        .onConflictDoNothing({ target: [paymentEvents.provider, paymentEvents.eventKey] })
        .returning({ id: paymentEvents.id });
      if (!event) return { outcome: "duplicate" };
      const now = new Date();
      const [paid] = await tx
        .update(payments)
        .set({ status: "paid", paidAt: now, gatewayTradeNo: fact.gatewayTradeNo })
        .where(and(eq(payments.id, payment.id), inArray(payments.status, ["pending", "closed", "failed"])))
        .returning();
      if (!paid) return { outcome: "already_paid" };
      await audit(tx, {
        actorLabel,
        action: "payment.paid",
        entityType: "payment",
        entityId: paid.id,
        data: { amountFen: fact.amountFen, gatewayTradeNo: fact.gatewayTradeNo, eventKey: fact.eventKey },
      });

      const [confirmed] = await tx
        .update(bookings)
        .set({ status: "confirmed", holdExpiresAt: null })
        .where(and(eq(bookings.id, payment.bookingId), eq(bookings.status, "pending_payment")))
        .returning();
      if (confirmed) {
        await audit(tx, {
          actorLabel,
          action: "booking.confirmed",
          entityType: "booking",
          entityId: confirmed.id,
          reason: "payment received",
        });
        await bookingConfirmed(tx, confirmed.id, fact.amountFen);
        return { outcome: "confirmed" };
      }
      const [booking] = await tx.select().from(bookings).where(eq(bookings.id, payment.bookingId));
      let refused: string | null = null;
      if (booking?.status === "expired") {
        const ctx = await loadSlotContext(tx, booking.timeslotId);
        // Re-taking the seat is booking it now: the same rules and per-customer limits as createBooking.
        refused = await lateBookingRefusal(tx, ctx, booking, now);
        if (!refused) {
          try {
            await tx.transaction((sp) => takeSeats(sp, ctx, booking.seats));
            await tx
              .update(bookings)
              .set({ status: "confirmed", holdExpiresAt: null })
              .where(and(eq(bookings.id, booking.id), eq(bookings.status, "expired")));
            await audit(tx, {
              actorLabel,
              action: "booking.confirmed",
              entityType: "booking",
              entityId: booking.id,
              reason: "late payment re-took the seat",
            });
            await bookingConfirmed(tx, booking.id, fact.amountFen);
            return { outcome: "retaken", retook: ctx };
          } catch (e) {
            if (!isAppError(e) && pgErrorCode(e) !== "23P01") throw e;
          }
        }
      }
      const reason = refused
        ? `late payment refused by the booking rules: ${refused}`
        : booking?.status === "expired"
          ? "seat no longer available after the hold expired"
          : `booking is ${booking?.status ?? "missing"}`;
      await requestRefund(tx, { bookingId: payment.bookingId, amountFen: fact.amountFen, reason: `automatic refund: ${reason}` });
      await audit(tx, { actorLabel, action: "payment.auto_refund", entityType: "payment", entityId: payment.id, reason });
      return { outcome: "refunding" };
    },
  );
  if (result.retook) {
    const c = result.retook;
    await invalidateAvailability(db, [slotChange(c)], c.business.timezone);
  }
  return result.outcome;
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
