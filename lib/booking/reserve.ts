import "server-only";
import { and, eq, or, sql } from "drizzle-orm";
import { randomInt } from "node:crypto";
import type { Tx } from "@/db/client";
import { qualified } from "@/db/sql";
import { bookings, resourceBusy, services, timeslots, type Booking } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { assignStaff, type StaffChoice } from "./assign-staff";
import { busyRange, loadServiceStaff, slotCapacitySql } from "./staff-slots";
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
 * booked_count is the last guard), assigns the staff member who serves them when staff offer the
 * service (lib/booking/assign-staff: the picked one or "any available" by the service's policy) and, for a
 * slot with a room, adds the seats to the slot's busy interval (buffers included). Every interval
 * is under the exclusion constraint: an overlap (23P01) outside the staff assignment aborts the
 * transaction and is mapped to RESOURCE_BUSY by the caller. Returns the assigned staff member.
 */
export async function takeSeats(tx: Tx, ctx: SlotContext, seats: number, staff: StaffChoice = {}): Promise<string | null> {
  // Read before the slot's row lock, which every booking of a hot slot waits on.
  const members = await loadServiceStaff(tx, ctx.service.id);
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
  const staffId = await assignStaff(tx, ctx, seats, staff, members);
  const resourceId = ctx.slot.resourceId ?? ctx.service.resourceId;
  if (resourceId) {
    const during = busyRange(ctx.slot, { before: ctx.service.bufferBeforeMin, after: ctx.service.bufferAfterMin });
    // One interval per timeslot: the first seat activates it, later seats add to it.
    await tx
      .insert(resourceBusy)
      .values({ resourceId, timeslotId: ctx.slot.id, during, seats })
      .onConflictDoUpdate({
        target: [resourceBusy.timeslotId, resourceBusy.resourceId],
        set: { active: true, during, seats: sql`${resourceBusy.seats} + ${seats}` },
      });
  }
  return staffId;
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
  staffId?: string | null;
};

/** Takes the seats and inserts the booking in the caller's transaction. */
export async function reserve(tx: Tx, input: ReserveInput & { staff?: StaffChoice }): Promise<Booking> {
  const staffId = await takeSeats(tx, input.ctx, input.seats, input.staff);
  return insertBooking(tx, { ...input, staffId });
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
      staffId: input.staffId ?? null,
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

/** Names the staff member takeSeats assigned on a booking inserted before its seats were taken. */
export async function setBookingStaff(tx: Tx, booking: Booking, staffId: string | null): Promise<Booking> {
  if (!staffId || booking.staffId === staffId) return booking;
  await tx.update(bookings).set({ staffId }).where(eq(bookings.id, booking.id));
  return { ...booking, staffId };
}

/**
 * Gives a booking's seats back, with its staff member's and the room's time once they hold no seat. A slot
 * kept above its service's capacity for seats booked before a capacity cut (lib/booking/reconcile-slots)
 * shrinks back towards it as they free up, so a freed seat there is not sold again.
 */
export async function release(tx: Tx, booking: Pick<Booking, "timeslotId" | "seats" | "staffId">): Promise<void> {
  const left = sql`${timeslots.bookedCount} - ${booking.seats}`;
  const serviceCapacity = sql`(select ${slotCapacitySql} from services where ${qualified(services.id)} = ${qualified(timeslots.serviceId)})`;
  const [slot] = await tx
    .update(timeslots)
    .set({ bookedCount: left, capacity: sql`greatest(${left}, least(${timeslots.capacity}, ${serviceCapacity}))` })
    .where(eq(timeslots.id, booking.timeslotId))
    .returning({ bookedCount: timeslots.bookedCount });
  if (!slot) return;
  const mine = booking.staffId ? or(resourceBusy.shared, eq(resourceBusy.resourceId, booking.staffId)) : resourceBusy.shared;
  await tx
    .update(resourceBusy)
    .set({ seats: sql`greatest(${resourceBusy.seats} - ${booking.seats}, 0)`, active: sql`${resourceBusy.seats} - ${booking.seats} > 0` })
    .where(and(eq(resourceBusy.timeslotId, booking.timeslotId), eq(resourceBusy.active, true), mine));
}
