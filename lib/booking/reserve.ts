import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { randomInt } from "node:crypto";
import type { Tx } from "@/db/client";
import { qualified } from "@/db/sql";
import { bookings, resourceBusy, timeslots, type Booking } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { SlotContext } from "./context";

const CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/** Short code for check-in (核销): 8 characters without 0/O/1/I, about 10^12 values. */
export function bookingCode(): string {
  let out = "";
  for (let i = 0; i < 8; i++) out += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return out;
}

/**
 * Takes `seats` of the slot by one conditional update (no check-then-insert; the CHECK on
 * booked_count is the last guard) and, for a slot with a staff member or room, activates the
 * slot's busy interval (buffers included) under the exclusion constraint. An overlap (23P01)
 * aborts the transaction and is mapped to RESOURCE_BUSY by the caller.
 */
export async function takeSeats(tx: Tx, ctx: SlotContext, seats: number): Promise<void> {
  const [taken] = await tx
    .update(timeslots)
    .set({ bookedCount: sql`${timeslots.bookedCount} + ${seats}` })
    .where(
      and(eq(timeslots.id, ctx.slot.id), eq(timeslots.status, "open"), sql`${timeslots.bookedCount} + ${seats} <= ${timeslots.capacity}`),
    )
    .returning({ id: timeslots.id });
  if (!taken) {
    const [now] = await tx.select({ status: timeslots.status }).from(timeslots).where(eq(timeslots.id, ctx.slot.id));
    // No row: a schedule edit removed the slot since it was read (lib/booking/reconcile-slots).
    if (!now || now.status === "closed") throw new AppError("SLOT_CLOSED", "slotClosed");
    throw new AppError("SLOT_FULL", "slotFull");
  }
  const resourceId = ctx.slot.resourceId ?? ctx.service.resourceId;
  if (resourceId) {
    const from = new Date(ctx.slot.startsAt.getTime() - ctx.service.bufferBeforeMin * 60_000);
    const to = new Date(ctx.slot.endsAt.getTime() + ctx.service.bufferAfterMin * 60_000);
    const during = `[${from.toISOString()},${to.toISOString()})`;
    // One interval per timeslot: the first seat activates it, later seats find it active.
    await tx
      .insert(resourceBusy)
      .values({ resourceId, timeslotId: ctx.slot.id, during })
      .onConflictDoUpdate({ target: resourceBusy.timeslotId, set: { active: true, resourceId, during } });
  }
}

export type ReserveInput = {
  ctx: SlotContext;
  customerId: string;
  seats: number;
  fields: Record<string, unknown>;
  status: "pending_payment" | "confirmed";
  priceFen: number;
  amountDueFen: number;
  holdExpiresAt: Date | null;
  idempotencyKey?: string | null;
  rescheduledFromId?: string | null;
  createdBy?: string | null;
  /** A reschedule passes the moved booking's code: the customer keeps one code for one appointment. */
  code?: string;
};

/** Takes the seats and inserts the booking in the caller's transaction. */
export async function reserve(tx: Tx, input: ReserveInput): Promise<Booking> {
  await takeSeats(tx, input.ctx, input.seats);
  return insertBooking(tx, input);
}

/**
 * Inserts the booking without its seats: the caller takes them (takeSeats) as the last statement
 * of its transaction, so the slot's row lock, which every booking of a hot slot waits on, is held
 * for one statement and the commit. A failure there rolls the booking back with it.
 */
export async function insertBooking(tx: Tx, input: ReserveInput): Promise<Booking> {
  const { ctx } = input;
  const [booking] = await tx
    .insert(bookings)
    .values({
      code: input.code ?? bookingCode(),
      businessId: ctx.business.id,
      serviceId: ctx.service.id,
      timeslotId: ctx.slot.id,
      customerId: input.customerId,
      seats: input.seats,
      status: input.status,
      priceFen: input.priceFen,
      amountDueFen: input.amountDueFen,
      holdExpiresAt: input.holdExpiresAt,
      fields: input.fields,
      idempotencyKey: input.idempotencyKey ?? null,
      rescheduledFromId: input.rescheduledFromId ?? null,
      createdBy: input.createdBy ?? null,
    })
    .returning();
  if (!booking) throw new AppError("INTERNAL", "Booking was not created");
  return booking;
}

/**
 * Gives a booking's seats back, and the resource's time once the slot has no seat booked. A slot
 * kept above its service's capacity for seats booked before a capacity cut (lib/booking/reconcile-slots)
 * shrinks back towards it as they free up, so a freed seat there is not sold again.
 */
export async function release(tx: Tx, booking: Pick<Booking, "timeslotId" | "seats">): Promise<void> {
  const left = sql`${timeslots.bookedCount} - ${booking.seats}`;
  const serviceCapacity = sql`(select s.capacity from services s where s.id = ${qualified(timeslots.serviceId)})`;
  const [slot] = await tx
    .update(timeslots)
    .set({ bookedCount: left, capacity: sql`greatest(${left}, least(${timeslots.capacity}, ${serviceCapacity}))` })
    .where(eq(timeslots.id, booking.timeslotId))
    .returning({ bookedCount: timeslots.bookedCount });
  if (slot?.bookedCount === 0) {
    await tx
      .update(resourceBusy)
      .set({ active: false })
      .where(and(eq(resourceBusy.timeslotId, booking.timeslotId), eq(resourceBusy.active, true)));
  }
}
