import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { bookings, payments } from "@/db/schema";
import { audit } from "@/lib/audit";
import { AppError, pgErrorCode } from "@/lib/errors";
import { invalidateAvailability, slotChange } from "./availability-cache";
import type { Actor } from "@/lib/auth/actor";
import { loadOwnBooking, paidFen } from "./cancel-booking";
import { admitBooking, loadSlotContext } from "./context";
import { activeStatuses, toBookingDto, type BookingDto } from "./dto";
import { cancellationQuote } from "./refund";
import { release, reserve } from "./reserve";
import type { Locale } from "@/lib/i18n/config";
import { afterBookingWrite } from "./side-effects";
import { offerFreedSeats } from "./waitlist-offers";

/**
 * Moves a booking to another slot of the same service in ONE transaction: the old booking is
 * cancelled and its seats released, the new one takes its seats, and the payments follow it, so
 * the customer never pays twice nor loses the old seat when the new one is taken.
 */
export async function rescheduleBooking(
  input: {
    bookingId: string;
    timeslotId: string;
    actor: Actor;
    /** A staff member for the new time, or null for any available; left out: the same one if free. */
    staffId?: string | null;
    locale?: Locale;
    now?: Date;
  },
  db: Db = getDb(),
): Promise<BookingDto> {
  const now = input.now ?? new Date();
  const old = await loadOwnBooking(db, input.bookingId, input.actor);
  if (!activeStatuses.includes(old.status as (typeof activeStatuses)[number])) {
    throw new AppError("INVALID_STATE", "cannotReschedule", undefined, { status: old.status });
  }
  if (old.timeslotId === input.timeslotId) throw new AppError("VALIDATION_FAILED", "chooseDifferentSlot");
  const oldCtx = await loadSlotContext(db, old.timeslotId);
  const ctx = await loadSlotContext(db, input.timeslotId);
  if (ctx.service.id !== old.serviceId) throw new AppError("VALIDATION_FAILED", "rescheduleSameService");

  const byStaff = input.actor.role !== "customer";
  const quote = cancellationQuote({ paidFen: await paidFen(db, old.id), startsAt: oldCtx.slot.startsAt, now, policy: oldCtx.policy });
  if (!byStaff && !quote.allowed) {
    throw new AppError("RULE_VIOLATION", "rescheduleDeadlinePassed", {
      violations: [{ rule: "cancel_deadline", deadline: quote.deadline.toISOString() }],
    });
  }
  let moved;
  try {
    moved = await db.transaction(async (tx) => {
      await admitBooking(tx, { ctx, customerId: old.customerId, seats: old.seats, now, locale: input.locale, excludeBookingId: old.id });
      const [prev] = await tx
        .update(bookings)
        // The code moves to the new row (it is unique); the old row keeps a retired form that no
        // check-in matches (check-in strips "-" from what it is given, the stored value keeps it).
        .set({
          status: "cancelled",
          cancelledAt: now,
          cancelReason: "rescheduled",
          code: retiredCode(old.code, old.id),
          idempotencyKey: null,
        })
        .where(and(eq(bookings.id, old.id), inArray(bookings.status, [...activeStatuses])))
        .returning();
      if (!prev) throw new AppError("INVALID_STATE", "bookingChanged");
      await release(tx, prev);
      const next = await reserve(tx, {
        ctx,
        customerId: old.customerId,
        seats: old.seats,
        fields: old.fields,
        status: old.status as "pending_payment" | "confirmed",
        priceFen: old.priceFen,
        amountDueFen: old.amountDueFen,
        holdExpiresAt: old.holdExpiresAt,
        rescheduledFromId: old.id,
        createdBy: input.actor.id,
        code: old.code,
        // The customer keeps their staff member when free at the new time, else another is assigned.
        staff: { staffId: input.staffId === undefined ? old.staffId : input.staffId, fallback: input.staffId === undefined },
      });
      await tx.update(payments).set({ bookingId: next.id }).where(eq(payments.bookingId, old.id));
      // A series week moved stays in its series (and keeps its share of the series' payment).
      if (old.seriesId) await tx.update(bookings).set({ seriesId: old.seriesId }).where(eq(bookings.id, next.id));
      // The seats left behind go to the old slot's waitlist, after the new ones are taken.
      await offerFreedSeats(tx, prev.timeslotId, now, prev);
      await audit(tx, {
        actorId: input.actor.id,
        action: "booking.rescheduled",
        entityType: "booking",
        entityId: next.id,
        data: { from: old.id, fromTimeslotId: old.timeslotId, toTimeslotId: ctx.slot.id },
      });
      await afterBookingWrite(tx, { kind: "rescheduled", booking: next, previous: prev, previousStartsAt: oldCtx.slot.startsAt, ctx });
      return next;
    });
  } catch (e) {
    if (pgErrorCode(e) === "23P01") throw new AppError("RESOURCE_BUSY", "resourceBusy");
    throw e;
  }
  await invalidateAvailability(db, [slotChange(oldCtx, old.staffId), slotChange(ctx, moved.staffId)], ctx.business.timezone);
  return toBookingDto(moved, ctx.slot);
}

/** The moved booking's code once its successor holds the real one: still readable in audits, never matched at check-in. */
export const retiredCode = (code: string, bookingId: string) => `${code}-${bookingId.slice(0, 8)}`;
