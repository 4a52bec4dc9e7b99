import "server-only";
import { and, asc, eq, isNull, lte } from "drizzle-orm";
import { getDb, type Db, type Tx } from "@/db/client";
import { timeslots, users, waitlistEntries, type Booking, type WaitlistEntry } from "@/db/schema";
import { audit } from "@/lib/audit";
import { isAppError, pgErrorCode } from "@/lib/errors";
import { waitlistOffered } from "@/lib/notifications/booking-events";
import { invalidateAvailability, slotChange } from "./availability-cache";
import { loadSlotContext, type SlotContext } from "./context";
import { amountDue } from "./policy";
import { insertBooking, release, setBookingStaff, takeSeats } from "./reserve";

/**
 * A held booking of an offer ended (its hold expired, it was cancelled): the offer ends with it. A
 * payment confirming it makes the entry `booked` instead (markOfferBooked).
 */
async function endOfferOf(tx: Tx, booking: Pick<Booking, "id" | "status">): Promise<void> {
  await tx
    .update(waitlistEntries)
    .set({ status: booking.status === "cancelled" ? "left" : "expired" })
    .where(and(eq(waitlistEntries.bookingId, booking.id), eq(waitlistEntries.status, "offered")));
}

/** The booking an offer held was paid: the entry is booked. */
export async function markOfferBooked(tx: Tx, bookingId: string): Promise<void> {
  await tx
    .update(waitlistEntries)
    .set({ status: "booked" })
    .where(and(eq(waitlistEntries.bookingId, bookingId), eq(waitlistEntries.status, "offered")));
}

/**
 * Offers a slot's free seats to the first waiting entries, one entry at a time in queue order, in
 * the caller's transaction (the one that freed them: a cancellation, an expiry, a reschedule away,
 * a capacity raise). `freedBy`, the booking that gave its seats back, first ends its own offer.
 *
 * Fairness: the slot's row is locked (FOR UPDATE) before the queue is read, so every freeing of
 * the slot's seats, and so every offer, is serialised on it: each transaction sees the seats and
 * the entries as the previous one committed them, and a freed seat goes to exactly one entry. An
 * offer takes its seats at once (takeSeats), through a pending_payment booking held for a paid
 * service or by the entry itself for a free one, so availability, the seat gate and every other
 * booking see the seat as taken until the offer ends. Strictly first in line: an entry wanting more
 * seats than are free stops the round rather than being skipped.
 */
export async function offerFreedSeats(
  tx: Tx,
  timeslotId: string,
  now = new Date(),
  freedBy?: Pick<Booking, "id" | "status">,
): Promise<WaitlistEntry[]> {
  if (freedBy) await endOfferOf(tx, freedBy);
  const [slot] = await tx
    .select({ capacity: timeslots.capacity, booked: timeslots.bookedCount, status: timeslots.status, startsAt: timeslots.startsAt })
    .from(timeslots)
    .where(eq(timeslots.id, timeslotId))
    .for("update");
  if (!slot || slot.status !== "open" || slot.startsAt <= now) return [];
  let free = slot.capacity - slot.booked;
  if (free <= 0) return [];
  const head = await tx
    .select()
    .from(waitlistEntries)
    .where(and(eq(waitlistEntries.timeslotId, timeslotId), eq(waitlistEntries.status, "waiting")))
    .orderBy(asc(waitlistEntries.rank), asc(waitlistEntries.createdAt))
    .limit(free)
    .for("update", { skipLocked: true });
  if (head.length === 0) return [];
  const ctx = await loadSlotContext(tx, timeslotId);
  const offered: WaitlistEntry[] = [];
  for (const entry of head) {
    if (entry.seats > free) break;
    const made = await offerOne(tx, ctx, entry, now);
    if (!made) break;
    offered.push(made);
    free -= entry.seats;
  }
  return offered;
}

/** One entry's offer in a savepoint: a seat that cannot be taken after all (its room is busy) leaves the entry waiting. */
async function offerOne(tx: Tx, ctx: SlotContext, entry: WaitlistEntry, now: Date): Promise<WaitlistEntry | null> {
  const [customer] = await tx.select().from(users).where(eq(users.id, entry.customerId)).limit(1);
  if (!customer) return null;
  const dueFen = amountDue({ priceFen: ctx.service.priceFen, depositFen: ctx.service.depositFen, seats: entry.seats, policy: ctx.policy });
  const holdUntil = new Date(now.getTime() + (dueFen > 0 ? ctx.policy.holdMinutes : ctx.policy.waitlistOfferMinutes) * 60_000);
  try {
    return await tx.transaction(async (sp) => {
      // A paid seat is held as the customer's own unpaid booking: the pay flow, hold expiry and
      // gateway code apply to it unchanged. A free seat is held by the entry until accepted.
      const booking =
        dueFen > 0
          ? await insertBooking(sp, {
              ctx,
              customerId: entry.customerId,
              seats: entry.seats,
              fields: entry.fields,
              status: "pending_payment",
              priceFen: ctx.service.priceFen * entry.seats,
              amountDueFen: dueFen,
              holdExpiresAt: holdUntil,
            })
          : null;
      const staffId = await takeSeats(sp, ctx, entry.seats);
      if (booking) await setBookingStaff(sp, booking, staffId);
      const [row] = await sp
        .update(waitlistEntries)
        .set({ status: "offered", offeredAt: now, offerExpiresAt: holdUntil, bookingId: booking?.id ?? null, staffId })
        .where(and(eq(waitlistEntries.id, entry.id), eq(waitlistEntries.status, "waiting")))
        .returning();
      if (!row) throw new Error("waitlist entry changed under its lock");
      if (booking) {
        await audit(sp, {
          actorLabel: "system",
          action: "booking.created",
          entityType: "booking",
          entityId: booking.id,
          reason: "waitlist offer",
          data: { status: booking.status, seats: booking.seats, amountDueFen: dueFen, timeslotId: ctx.slot.id, waitlistEntryId: entry.id },
        });
      }
      await audit(sp, {
        actorLabel: "system",
        action: "waitlist.offered",
        entityType: "timeslot",
        entityId: ctx.slot.id,
        data: { entryId: entry.id, customerId: entry.customerId, seats: entry.seats, bookingId: booking?.id ?? null },
      });
      await waitlistOffered(sp, {
        entryId: entry.id,
        booking,
        customer,
        service: ctx.service,
        business: ctx.business,
        slot: ctx.slot,
        holdUntil,
      });
      return row;
    });
  } catch (e) {
    if (isAppError(e) || pgErrorCode(e) === "23P01") return null;
    throw e;
  }
}

/**
 * Free offers not accepted in time: each ends in its own transaction (guarded on its status and
 * deadline, so an acceptance at the same moment wins cleanly), gives its seats back and offers
 * them to the next in line in that same transaction. Paid offers end with their held booking
 * (expireHolds).
 */
export async function expireOffers(now = new Date(), db: Db = getDb(), limit = 200): Promise<string[]> {
  const due = await db
    .select({ id: waitlistEntries.id })
    .from(waitlistEntries)
    .where(and(eq(waitlistEntries.status, "offered"), isNull(waitlistEntries.bookingId), lte(waitlistEntries.offerExpiresAt, now)))
    .limit(limit);
  const expired: string[] = [];
  for (const d of due) {
    const ctx = await db.transaction(async (tx) => {
      const [row] = await tx
        .update(waitlistEntries)
        .set({ status: "expired" })
        .where(and(eq(waitlistEntries.id, d.id), eq(waitlistEntries.status, "offered"), lte(waitlistEntries.offerExpiresAt, now)))
        .returning();
      if (!row) return null;
      await release(tx, row);
      await audit(tx, {
        actorLabel: "system",
        action: "waitlist.offer_expired",
        entityType: "timeslot",
        entityId: row.timeslotId,
        data: { entryId: row.id, customerId: row.customerId },
      });
      await offerFreedSeats(tx, row.timeslotId, now);
      return { ctx: await loadSlotContext(tx, row.timeslotId), staffId: row.staffId };
    });
    if (ctx) {
      expired.push(d.id);
      await invalidateAvailability(db, [slotChange(ctx.ctx, ctx.staffId)], ctx.ctx.business.timezone);
    }
  }
  return expired;
}
