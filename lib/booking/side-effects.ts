import "server-only";
import type { Tx } from "@/db/client";
import type { Booking, User } from "@/db/schema";
import { bookingCancelled, bookingCreated, bookingRescheduled, holdExpired } from "@/lib/notifications/booking-events";
import { enqueue } from "@/lib/jobs/enqueue";
import { requestRefund } from "@/lib/payments/refunds";
import { giveBack, moveRedemptions } from "@/lib/passes/redeem";
import type { SlotContext } from "./context";
import { closeOrdersJob } from "./payments";

export type BookingEvent =
  | { kind: "created"; booking: Booking; ctx: SlotContext; customer: User }
  | { kind: "cancelled"; booking: Booking; refundFen: number; by: "customer" | "staff" }
  | { kind: "rescheduled"; booking: Booking; previous: Booking; previousStartsAt: Date; ctx: SlotContext }
  | { kind: "expired"; booking: Booking };

/**
 * What a booking change causes, written in the same transaction as the change: the outbox rows
 * (and their delivery jobs) for the customer and staff, the reminders, the policy refund of a
 * cancellation and the closing of the gateway orders of an expired hold or a cancelled booking, the
 * pass use and coupon given back by a cancelled or expired booking (moved along by a reschedule).
 */
export async function afterBookingWrite(tx: Tx, event: BookingEvent): Promise<void> {
  const { booking } = event;
  switch (event.kind) {
    case "created":
      return bookingCreated(tx, { booking, customer: event.customer, ...event.ctx });
    case "cancelled":
      await giveBack(tx, booking.id, `cancelled by ${event.by}`);
      await requestRefund(tx, {
        bookingId: booking.id,
        seriesId: booking.seriesId,
        amountFen: event.refundFen,
        reason: event.by === "staff" ? "reasonCancelledByStaff" : "reasonCancelledByCustomer",
      });
      // Gateway orders still open (an unpaid hold, a second attempt) are closed after commit, so
      // the buyer can no longer pay; one paid meanwhile is applied and refunded (applyPaid).
      await enqueue(tx, closeOrdersJob, { bookingId: booking.id, reason: "booking cancelled" });
      return bookingCancelled(tx, booking.id, event.refundFen, booking.cancelReason);
    case "rescheduled":
      await moveRedemptions(tx, event.previous.id, booking.id);
      return bookingRescheduled(tx, booking.id, event.previous, event.previousStartsAt);
    case "expired":
      await giveBack(tx, booking.id, "hold expired");
      await enqueue(tx, closeOrdersJob, { bookingId: booking.id });
      return holdExpired(tx, booking.id);
  }
}
