import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { qualified } from "@/db/sql";
import { bookings, payments, refunds, type Booking } from "@/db/schema";
import { audit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { invalidateAvailability, slotChange } from "./availability-cache";
import { loadSlotContext } from "./context";
import { activeStatuses, toBookingDto, type BookingDto } from "./dto";
import { cancellationQuote, type CancellationQuote } from "./refund";
import { release } from "./reserve";
import { afterBookingWrite } from "./side-effects";
import { offerFreedSeats } from "./waitlist-offers";

/** Money actually received for a booking and not yet refunded nor on its way back (open refunds). */
export async function paidFen(db: Db, bookingId: string): Promise<number> {
  const open = sql`(select coalesce(sum(r.amount_fen), 0) from ${refunds} r where r.payment_id = ${qualified(payments.id)} and r.status in ('pending', 'abnormal'))`;
  const [row] = await db
    .select({ n: sql<number>`coalesce(sum(${payments.amountFen} - ${payments.refundedFen} - ${open}), 0)::int` })
    .from(payments)
    .where(and(eq(payments.bookingId, bookingId), inArray(payments.status, ["paid", "partially_refunded"])));
  return Math.max(0, Number(row?.n ?? 0)) + (await seriesShareFen(db, bookingId));
}

/**
 * A series week's part of the series' one payment: what the week owed, once the payment went
 * through and the week was confirmed by it, less the refunds already made (or on their way) for it.
 */
async function seriesShareFen(db: Db, bookingId: string): Promise<number> {
  const [booking] = await db
    .select({ seriesId: bookings.seriesId, amountDueFen: bookings.amountDueFen, status: bookings.status })
    .from(bookings)
    .where(eq(bookings.id, bookingId));
  if (!booking?.seriesId || booking.status === "pending_payment" || booking.status === "expired") return 0;
  const paid = await db
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.seriesId, booking.seriesId), inArray(payments.status, ["paid", "partially_refunded", "refunded"])));
  if (paid.length === 0) return 0;
  const [back] = await db
    .select({ n: sql<number>`coalesce(sum(${refunds.amountFen}), 0)::int` })
    .from(refunds)
    .where(
      and(
        eq(refunds.bookingId, bookingId),
        inArray(
          refunds.paymentId,
          paid.map((p) => p.id),
        ),
        inArray(refunds.status, ["pending", "abnormal", "succeeded"]),
      ),
    );
  return Math.max(0, booking.amountDueFen - Number(back?.n ?? 0));
}

/** What cancelling now would give; customers only inside the policy's deadline, the business any time. */
export async function quoteCancellation(
  db: Db,
  booking: Booking,
  now = new Date(),
  by: "customer" | "business" = "customer",
): Promise<CancellationQuote> {
  const ctx = await loadSlotContext(db, booking.timeslotId);
  return cancellationQuote({ paidFen: await paidFen(db, booking.id), startsAt: ctx.slot.startsAt, now, policy: ctx.policy, by });
}

export async function loadOwnBooking(db: Db, bookingId: string, actor: Actor): Promise<Booking> {
  const [booking] = await db.select().from(bookings).where(eq(bookings.id, bookingId)).limit(1);
  // Someone else's booking is "not found" to a customer: ids are not a way to probe.
  if (!booking || (actor.role === "customer" && booking.customerId !== actor.id)) {
    throw new AppError("NOT_FOUND", "bookingNotFound");
  }
  return booking;
}

/**
 * Guarded transition pending_payment|confirmed → cancelled, seats and resource released. A
 * customer's cancellation is refunded by the policy tiers, inside the deadline; one by staff is the
 * business cancelling, refunded businessCancelRefundPercent (100 by default) at any time.
 */
export async function cancelBooking(
  input: { bookingId: string; actor: Actor; reason?: string; now?: Date },
  db: Db = getDb(),
): Promise<{ booking: BookingDto; refundFen: number; quote: CancellationQuote }> {
  const now = input.now ?? new Date();
  const booking = await loadOwnBooking(db, input.bookingId, input.actor);
  const ctx = await loadSlotContext(db, booking.timeslotId);
  const byStaff = input.actor.role !== "customer";
  const quote = cancellationQuote({
    paidFen: await paidFen(db, booking.id),
    startsAt: ctx.slot.startsAt,
    now,
    policy: ctx.policy,
    by: byStaff ? "business" : "customer",
  });
  if (!byStaff && !quote.allowed) {
    throw new AppError("RULE_VIOLATION", "cancelDeadlinePassed", {
      violations: [{ rule: "cancel_deadline", deadline: quote.deadline.toISOString() }],
    });
  }
  const refundFen = quote.refund.amountFen;
  const cancelled = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(bookings)
      .set({ status: "cancelled", cancelledAt: now, cancelReason: input.reason ?? null, holdExpiresAt: null })
      .where(and(eq(bookings.id, booking.id), inArray(bookings.status, [...activeStatuses])))
      .returning();
    if (!row) throw new AppError("INVALID_STATE", "cannotCancel", undefined, { status: booking.status });
    await release(tx, row);
    await offerFreedSeats(tx, row.timeslotId, now, row);
    await audit(tx, {
      actorId: input.actor.id,
      action: "booking.cancelled",
      entityType: "booking",
      entityId: row.id,
      reason: input.reason ?? null,
      data: { from: booking.status, refundFen, refundPercent: quote.refund.percent },
    });
    await afterBookingWrite(tx, { kind: "cancelled", booking: row, refundFen, by: byStaff ? "staff" : "customer" });
    return row;
  });
  await invalidateAvailability(db, [slotChange(ctx)], ctx.business.timezone);
  return { booking: toBookingDto(cancelled, ctx.slot), refundFen, quote };
}
