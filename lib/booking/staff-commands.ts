import "server-only";
import { getDb, type Db } from "@/db/client";
import type { Booking } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { cancelBooking } from "@/lib/booking/cancel-booking";
import { createBooking } from "@/lib/booking/create-booking";
import type { BookingDto } from "@/lib/booking/dto";
import type { Locale } from "@/lib/i18n/config";
import { confirmBooking } from "@/lib/booking/staff-transitions";
import { AppError } from "@/lib/errors";
import { bookingConfirmed } from "@/lib/notifications/booking-events";
import { refundBooking } from "@/lib/payments/refund-booking";

const requireStaff = (actor: Actor) => {
  if (actor.role === "customer") throw new AppError("FORBIDDEN", "staffOnly");
};

/** Paid at the desk (or waived): confirmed with the reason on record, and the customer hears about it. */
export function confirmOffline(input: { bookingId: string; actor: Actor; reason: string }, db: Db = getDb()): Promise<Booking> {
  return confirmBooking(input, db, (tx, booking) => bookingConfirmed(tx, booking.id));
}

/**
 * Staff cancellation: the business cancelling, refunded businessCancelRefundPercent of what is left
 * (100 by default), not the customer's tiers. The booking core requests that refund
 * through the gateway in the cancellation's own transaction (lib/booking/side-effects), so it is
 * not requested again here: a second refundBooking call would pay the customer twice.
 */
export async function cancelByStaff(input: { bookingId: string; actor: Actor; reason: string }, db: Db = getDb()) {
  requireStaff(input.actor);
  const result = await cancelBooking(input, db);
  return {
    booking: result.booking,
    refundFen: result.refundFen,
    percent: result.quote.refund.percent,
    refundRequested: result.refundFen > 0,
  };
}

/** A refund outside the policy (goodwill, service not delivered), with its reason, through the gateway. */
export async function refundManually(
  input: { bookingId: string; amountFen: number; reason: string; actor: Actor },
  db: Db = getDb(),
): Promise<number> {
  requireStaff(input.actor);
  const rows = await refundBooking(
    { bookingId: input.bookingId, amountFen: input.amountFen, reason: input.reason, actorId: input.actor.id },
    db,
  );
  return rows.reduce((sum, r) => sum + r.amountFen, 0);
}

/** A staff member books for a customer: same rules, capacity and payment as the customer's own booking. */
export async function bookOnBehalf(
  input: { customerId: string; timeslotId: string; seats: number; fields: Record<string, unknown>; actor: Actor; locale: Locale },
  db: Db = getDb(),
): Promise<BookingDto> {
  requireStaff(input.actor);
  return createBooking(
    {
      customerId: input.customerId,
      timeslotId: input.timeslotId,
      seats: input.seats,
      fields: input.fields,
      actorId: input.actor.id,
      locale: input.locale,
    },
    db,
  );
}
