import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { loadBookingRecord } from "@/db/booking-record";
import { bookings, type Booking, type DeskMethod } from "@/db/schema";
import { audit } from "@/lib/audit";
import { AppError, pgConstraint, pgErrorCode } from "@/lib/errors";
import { invalidateAvailability, slotChange } from "./availability-cache";
import { admitBooking, loadSlotContext } from "./context";
import { toBookingDto, type BookingDto } from "./dto";
import { insertDeskPayment } from "./desk-payments";
import { buildAnswersSchema } from "./fields";
import { policyForCustomer } from "./no-show";
import { amountDue } from "./policy";
import { insertBooking, setBookingStaff, takeSeats } from "./reserve";
import { enterSeatGate, leaveSeatGate } from "./seat-gate";
import type { Locale } from "@/lib/i18n/config";
import { afterBookingWrite } from "./side-effects";
import { priceWithPass, redeem } from "@/lib/passes/redeem";

export type CreateBookingInput = {
  customerId: string;
  timeslotId: string;
  seats?: number;
  fields?: Record<string, unknown>;
  idempotencyKey?: string | null;
  /** Pays with the customer's card (lib/passes/redeem.ts states how each kind prices a booking). */
  passId?: string | null;
  /** A coupon code: off the amount due now. */
  couponCode?: string | null;
  /** The staff member the customer picked (选技师); null or left out: any available, by the service's policy. */
  staffId?: string | null;
  /** Staff booking on a customer's behalf. */
  actorId?: string;
  /**
   * Staff booking paid at the desk (到店付): confirmed without a hold whatever is due, so no
   * "pay within the hold" message; with a method (已收现金), the price left after any card is
   * recorded as a desk payment by the staff member, in the booking's transaction.
   */
  desk?: { method?: DeskMethod; note?: string | null };
  locale?: Locale;
  now?: Date;
};

async function existingByKey(db: Db, customerId: string, key: string): Promise<BookingDto | null> {
  const row = await loadBookingRecord(db, and(eq(bookings.customerId, customerId), eq(bookings.idempotencyKey, key)));
  return row ? toBookingDto(row.booking, row.slot) : null;
}

/**
 * Rules → one transaction (insert booking, audit, outbox, then capacity and resource interval last) →
 * cache invalidation after commit. A paid service starts pending_payment with a hold; a free one
 * is confirmed. The same Idempotency-Key returns the first booking.
 */
export async function createBooking(input: CreateBookingInput, db: Db = getDb()): Promise<BookingDto> {
  const now = input.now ?? new Date();
  const seats = input.seats ?? 1;
  const key = input.idempotencyKey ?? null;
  if (key) {
    const existing = await existingByKey(db, input.customerId, key);
    if (existing) return existing;
  }
  // A sold-out slot is answered from the gate, without touching PostgreSQL (hot releases, 放号).
  const gate = await enterSeatGate(db, input.timeslotId, seats);
  if (gate === "sold_out") throw new AppError("SLOT_FULL", "slotFull");
  const outcome = { replayed: false };
  try {
    const booking = await book(input, db, { now, seats, key, outcome });
    if (gate === "taken" && outcome.replayed) await leaveSeatGate(input.timeslotId, seats);
    return booking;
  } catch (e) {
    // The database said full: the counter is right to stay low. Any other failure gives the seats back.
    const full = e instanceof AppError && e.code === "SLOT_FULL";
    if (gate === "taken" && !full) await leaveSeatGate(input.timeslotId, seats);
    throw e;
  }
}

/** Validation → the booking's transaction → invalidation. `outcome.replayed`: a concurrent request with the same key won. */
async function book(
  input: CreateBookingInput,
  db: Db,
  { now, seats, key, outcome }: { now: Date; seats: number; key: string | null; outcome: { replayed: boolean } },
): Promise<BookingDto> {
  const ctx = await loadSlotContext(db, input.timeslotId);
  if (seats > 1 && ctx.service.capacity === 1) {
    throw new AppError("VALIDATION_FAILED", "oneSeatPerBooking");
  }
  const answers = buildAnswersSchema(ctx.service.fields, input.locale).safeParse(input.fields ?? {});
  if (!answers.success) {
    const details = answers.error.issues.map((i) => ({ path: `fields.${i.path.join(".")}`, message: i.message }));
    throw new AppError("VALIDATION_FAILED", details[0]?.message ?? "Invalid form answers", details);
  }

  const priceFen = ctx.service.priceFen * seats;
  // A customer with repeated no-shows may owe the full price up front (policy noShowPrepayAfter).
  const policy = await policyForCustomer(db, ctx.policy, input.customerId, now);
  const dueFen = amountDue({ priceFen: ctx.service.priceFen, depositFen: ctx.service.depositFen, seats, policy });
  let booking: Booking;
  try {
    booking = await db.transaction(async (tx) => {
      // Rules and per-customer limits are counted under the customer's lock, in this transaction.
      const customer = await admitBooking(tx, { ctx, customerId: input.customerId, seats, now, locale: input.locale });
      const chargeInput = {
        businessId: ctx.business.id,
        serviceId: ctx.service.id,
        customerId: customer.id,
        seats,
        priceFen,
        dueFen,
        passId: input.passId,
        couponCode: input.couponCode,
        now,
      };
      const charge = await priceWithPass(tx, chargeInput);
      const due = charge.amountDueFen;
      const hold = due > 0 && !input.desk;
      const created = await insertBooking(tx, {
        ctx,
        customerId: customer.id,
        seats,
        fields: answers.data,
        status: hold ? "pending_payment" : "confirmed",
        priceFen: charge.priceFen,
        amountDueFen: due,
        holdExpiresAt: hold ? new Date(now.getTime() + ctx.policy.holdMinutes * 60_000) : null,
        idempotencyKey: key,
        createdBy: input.actorId ?? customer.id,
      });
      await redeem(tx, charge, { ...chargeInput, bookingId: created.id, actorId: input.actorId ?? customer.id });
      await audit(tx, {
        actorId: input.actorId ?? customer.id,
        action: "booking.created",
        entityType: "booking",
        entityId: created.id,
        data: {
          status: created.status,
          seats,
          amountDueFen: due,
          timeslotId: ctx.slot.id,
          ...(charge.pass && { passId: charge.pass.pass.id, passUses: charge.pass.uses, passValueFen: charge.pass.valueFen }),
          ...(charge.coupon && { couponId: charge.coupon.coupon.id, couponDiscountFen: charge.coupon.discountFen }),
          ...(input.desk && { payAtDesk: true }),
        },
      });
      // 已收现金: what the card left of the price was taken at the desk.
      const takenFen = charge.pass?.uses ? 0 : charge.priceFen - (charge.pass?.valueFen ?? 0);
      if (input.desk?.method && input.actorId && takenFen > 0)
        await insertDeskPayment(tx, {
          booking: created,
          amountFen: takenFen,
          method: input.desk.method,
          note: input.desk.note ?? null,
          actorId: input.actorId,
        });
      await afterBookingWrite(tx, { kind: "created", booking: created, ctx, customer });
      const staffId = await takeSeats(tx, ctx, seats, { staffId: input.staffId ?? null });
      return setBookingStaff(tx, created, staffId);
    });
  } catch (e) {
    const code = pgErrorCode(e);
    if (code === "23P01") throw new AppError("RESOURCE_BUSY", "resourceBusy");
    // The booking is inserted before its seats are taken: a slot a schedule edit just removed fails its foreign key.
    if (code === "23503" && pgConstraint(e) === "bookings_timeslot_id_timeslots_id_fk") throw new AppError("SLOT_CLOSED", "slotClosed");
    if (code === "23514" && pgConstraint(e) === "timeslots_capacity_check") throw new AppError("SLOT_FULL", "slotFull");
    if (code === "23505" && pgConstraint(e) === "bookings_idempotency_key" && key) {
      const existing = await existingByKey(db, input.customerId, key);
      if (existing) {
        outcome.replayed = true;
        return existing;
      }
    }
    throw e;
  }
  await invalidateAvailability(db, [slotChange(ctx, booking.staffId)], ctx.business.timezone, { seatsTakenOnly: true });
  return toBookingDto(booking, ctx.slot);
}
