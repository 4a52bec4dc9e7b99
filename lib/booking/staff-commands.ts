import "server-only";
import { getDb, type Db } from "@/db/client";
import { eq } from "drizzle-orm";
import { bookings, type Booking, type DeskMethod } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { cancelBooking } from "@/lib/booking/cancel-booking";
import { createBooking } from "@/lib/booking/create-booking";
import type { BookingDto } from "@/lib/booking/dto";
import type { Locale } from "@/lib/i18n/config";
import type { OnBehalfPayment } from "@/lib/validations/dashboard";
import { recordDeskPayment } from "@/lib/booking/desk-payments";
import { AppError } from "@/lib/errors";
import type { PaymentDto } from "@/lib/payments/start-payment";
import { refundBooking } from "@/lib/payments/refund-booking";

const requireStaff = (actor: Actor) => {
  if (actor.role === "customer") throw new AppError("FORBIDDEN", "staffOnly");
};

/**
 * "Confirm offline" (paid at the desk): a booking on hold is confirmed by recording a desk payment
 * of what it owes now (its amount due, or `amountFen`), method "other" unless told, the reason as
 * its note. The money is in the ledger, so a later cancellation refunds it (a desk refund).
 */
export async function confirmOffline(
  input: { bookingId: string; actor: Actor; reason: string; method?: DeskMethod; amountFen?: number },
  db: Db = getDb(),
): Promise<{ booking: Booking; payment: PaymentDto }> {
  requireStaff(input.actor);
  const reason = input.reason.trim();
  if (!reason) throw new AppError("VALIDATION_FAILED", "confirmReasonRequired");
  const [booking] = await db.select().from(bookings).where(eq(bookings.id, input.bookingId));
  if (!booking) throw new AppError("NOT_FOUND", "bookingNotFound");
  if (booking.status !== "pending_payment")
    throw new AppError("INVALID_STATE", "cannotConfirm", { status: booking.status }, { status: booking.status });
  const result = await recordDeskPayment(
    {
      bookingId: booking.id,
      actor: input.actor,
      method: input.method ?? "other",
      amountFen: input.amountFen ?? booking.amountDueFen,
      note: reason,
    },
    db,
  );
  return { booking: result.booking, payment: result.payment };
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

/**
 * A staff member books for a customer: same rules and capacity as the customer's own booking. Paid
 * as chosen (OnBehalfPayment): a hold the customer pays online, or at the desk without a hold —
 * 到店付 (balance due), 已收现金 (the cash recorded), 会员卡 (the customer's card pays, what it
 * leaves is due at the desk).
 */
export async function bookOnBehalf(
  input: {
    customerId: string;
    timeslotId: string;
    seats: number;
    fields: Record<string, unknown>;
    payment?: OnBehalfPayment;
    passId?: string;
    actor: Actor;
    locale: Locale;
  },
  db: Db = getDb(),
): Promise<BookingDto> {
  requireStaff(input.actor);
  const payment = input.payment ?? "hold";
  return createBooking(
    {
      customerId: input.customerId,
      timeslotId: input.timeslotId,
      seats: input.seats,
      fields: input.fields,
      actorId: input.actor.id,
      locale: input.locale,
      passId: payment === "pass" ? input.passId : undefined,
      desk: payment === "hold" ? undefined : payment === "cash" ? { method: "cash" } : {},
    },
    db,
  );
}
