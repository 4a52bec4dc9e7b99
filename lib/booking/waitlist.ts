import "server-only";
import { and, asc, desc, eq, inArray, ne, sql, type SQL } from "drizzle-orm";
import { getDb, type Db, type DbOrTx } from "@/db/client";
import { bookings, services, timeslots, users, waitlistEntries, type WaitlistEntry } from "@/db/schema";
import { audit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";
import { requireStaff } from "@/lib/auth/roles";
import { AppError, pgConstraint, pgErrorCode } from "@/lib/errors";
import { maskedPhone } from "@/lib/pii";
import type { Locale } from "@/lib/i18n/config";
import { invalidateAvailability, slotChange } from "./availability-cache";
import { cancelBooking } from "./cancel-booking";
import { admitBooking, loadSlotContext } from "./context";
import { toBookingDto, type BookingDto } from "./dto";
import { buildAnswersSchema } from "./fields";
import { insertBooking, release } from "./reserve";
import { afterBookingWrite } from "./side-effects";
import { offerFreedSeats } from "./waitlist-offers";

/** A waitlist entry as the API shows it (DESIGN.md: Waitlist). `position`: 1 = next in line; null once out of the queue. */
export type WaitlistEntryDto = {
  id: string;
  timeslotId: string;
  serviceId: string;
  serviceName: string;
  startsAt: string;
  endsAt: string;
  seats: number;
  status: WaitlistEntry["status"];
  position: number | null;
  bookingId: string | null;
  offerExpiresAt: string | null;
  createdAt: string;
};

/** Waiting entries ahead of `e` in its slot's queue, plus one (a correlated count: the queue is short). */
const positionOf = sql<number>`(select count(*) + 1 from waitlist_entries w
  where w.timeslot_id = ${waitlistEntries.timeslotId} and w.status = 'waiting'
    and (w.rank, w.created_at) < (${waitlistEntries.rank}, ${waitlistEntries.createdAt}))`.mapWith(Number);

const dtoColumns = {
  entry: waitlistEntries,
  position: positionOf,
  serviceId: services.id,
  serviceName: services.name,
  startsAt: timeslots.startsAt,
  endsAt: timeslots.endsAt,
};

type DtoRow = { entry: WaitlistEntry; position: number; serviceId: string; serviceName: string; startsAt: Date; endsAt: Date };

const toDto = (r: DtoRow): WaitlistEntryDto => ({
  id: r.entry.id,
  timeslotId: r.entry.timeslotId,
  serviceId: r.serviceId,
  serviceName: r.serviceName,
  startsAt: r.startsAt.toISOString(),
  endsAt: r.endsAt.toISOString(),
  seats: r.entry.seats,
  status: r.entry.status,
  position: r.entry.status === "waiting" ? r.position : null,
  bookingId: r.entry.bookingId,
  offerExpiresAt: r.entry.status === "offered" ? (r.entry.offerExpiresAt?.toISOString() ?? null) : null,
  createdAt: r.entry.createdAt.toISOString(),
});

async function entryDtos(db: DbOrTx, where: SQL | undefined): Promise<WaitlistEntryDto[]> {
  const rows = await db
    .select(dtoColumns)
    .from(waitlistEntries)
    .innerJoin(timeslots, eq(timeslots.id, waitlistEntries.timeslotId))
    .innerJoin(services, eq(services.id, timeslots.serviceId))
    .where(where)
    .orderBy(desc(waitlistEntries.createdAt));
  return rows.map(toDto);
}

export async function getWaitlistEntry(db: DbOrTx, entryId: string): Promise<WaitlistEntryDto> {
  const [dto] = await entryDtos(db, eq(waitlistEntries.id, entryId));
  if (!dto) throw new AppError("NOT_FOUND", "waitlistEntryNotFound");
  return dto;
}

/** One of the customer's own entries, or null (someone else's reads as missing). */
export async function getMyWaitlistEntry(db: DbOrTx, entryId: string, customerId: string): Promise<WaitlistEntryDto | null> {
  const [dto] = await entryDtos(db, and(eq(waitlistEntries.id, entryId), eq(waitlistEntries.customerId, customerId)));
  return dto ?? null;
}

/** The caller's entries, newest first. */
export async function listMyWaitlist(db: Db, customerId: string): Promise<WaitlistEntryDto[]> {
  return entryDtos(db, eq(waitlistEntries.customerId, customerId));
}

/**
 * Joins the queue of a full slot: 409 CONFLICT while the slot has the seats asked for (book it
 * instead). The booking rules run as for a booking (a customer refused a booking is refused the
 * queue too). Joining again while in the queue returns the place already held. The slot's row lock
 * serialises joins with offers, so places are handed out in order.
 */
export async function joinWaitlist(
  input: { customerId: string; timeslotId: string; seats?: number; fields?: Record<string, unknown>; locale?: Locale; now?: Date },
  db: Db = getDb(),
): Promise<{ entry: WaitlistEntryDto; created: boolean }> {
  const now = input.now ?? new Date();
  const seats = input.seats ?? 1;
  const ctx = await loadSlotContext(db, input.timeslotId);
  if (seats > 1 && ctx.service.capacity === 1) throw new AppError("VALIDATION_FAILED", "oneSeatPerBooking");
  const answers = buildAnswersSchema(ctx.service.fields, input.locale).safeParse(input.fields ?? {});
  if (!answers.success) {
    const details = answers.error.issues.map((i) => ({ path: `fields.${i.path.join(".")}`, message: i.message }));
    throw new AppError("VALIDATION_FAILED", details[0]?.message ?? "Invalid form answers", details);
  }
  try {
    return await db.transaction(async (tx) => {
      await admitBooking(tx, { ctx, customerId: input.customerId, seats, now, locale: input.locale });
      const [slot] = await tx
        .select({ capacity: timeslots.capacity, booked: timeslots.bookedCount, status: timeslots.status })
        .from(timeslots)
        .where(eq(timeslots.id, ctx.slot.id))
        .for("update");
      if (!slot || slot.status !== "open") throw new AppError("SLOT_CLOSED", "slotClosed");
      const [live] = await tx
        .select({ id: waitlistEntries.id })
        .from(waitlistEntries)
        .where(
          and(
            eq(waitlistEntries.timeslotId, ctx.slot.id),
            eq(waitlistEntries.customerId, input.customerId),
            inArray(waitlistEntries.status, ["waiting", "offered"]),
          ),
        );
      if (live) return { entry: await getWaitlistEntry(tx, live.id), created: false };
      if (slot.capacity - slot.booked >= seats) throw new AppError("CONFLICT", "waitlistSlotHasRoom");
      const [last] = await tx
        .select({ rank: sql<number>`coalesce(max(${waitlistEntries.rank}), 0)`.mapWith(Number) })
        .from(waitlistEntries)
        .where(eq(waitlistEntries.timeslotId, ctx.slot.id));
      const [row] = await tx
        .insert(waitlistEntries)
        .values({
          businessId: ctx.business.id,
          timeslotId: ctx.slot.id,
          customerId: input.customerId,
          seats,
          fields: answers.data,
          rank: (last?.rank ?? 0) + 1,
        })
        .returning();
      if (!row) throw new AppError("INTERNAL", "internal");
      await audit(tx, {
        actorId: input.customerId,
        action: "waitlist.joined",
        entityType: "timeslot",
        entityId: ctx.slot.id,
        data: { entryId: row.id, seats },
      });
      return { entry: await getWaitlistEntry(tx, row.id), created: true };
    });
  } catch (e) {
    if (pgErrorCode(e) === "23505" && pgConstraint(e) === "waitlist_live_key") {
      const [live] = await entryDtos(
        db,
        and(
          eq(waitlistEntries.timeslotId, ctx.slot.id),
          eq(waitlistEntries.customerId, input.customerId),
          inArray(waitlistEntries.status, ["waiting", "offered"]),
        ),
      );
      if (live) return { entry: live, created: false };
    }
    throw e;
  }
}

async function loadOwnEntry(db: DbOrTx, entryId: string, actor: Actor): Promise<WaitlistEntry> {
  const [entry] = await db.select().from(waitlistEntries).where(eq(waitlistEntries.id, entryId)).limit(1);
  // Someone else's entry is "not found" to a customer, as for bookings.
  if (!entry || (actor.role === "customer" && entry.customerId !== actor.id)) throw new AppError("NOT_FOUND", "waitlistEntryNotFound");
  return entry;
}

/**
 * Accepts an offer. A free service's held seat becomes a confirmed booking (the seats were taken
 * when it was offered, so none is taken again). A paid offer is already a held booking: it is
 * returned, to be paid. Accepting twice returns the same booking.
 */
export async function acceptOffer(
  input: { entryId: string; actor: Actor; locale?: Locale; now?: Date },
  db: Db = getDb(),
): Promise<{ entry: WaitlistEntryDto; booking: BookingDto }> {
  const now = input.now ?? new Date();
  const found = await loadOwnEntry(db, input.entryId, input.actor);
  const ctx = await loadSlotContext(db, found.timeslotId);
  const booking = await db.transaction(async (tx) => {
    const [entry] = await tx.select().from(waitlistEntries).where(eq(waitlistEntries.id, found.id)).for("update");
    if (!entry) throw new AppError("NOT_FOUND", "waitlistEntryNotFound");
    if (entry.bookingId && (entry.status === "booked" || entry.status === "offered")) {
      const [held] = await tx.select().from(bookings).where(eq(bookings.id, entry.bookingId));
      if (held) return held;
    }
    if (entry.status !== "offered")
      throw new AppError("INVALID_STATE", "waitlistNoOffer", { status: entry.status }, { status: entry.status });
    if (entry.offerExpiresAt && entry.offerExpiresAt <= now) throw new AppError("INVALID_STATE", "waitlistOfferExpired");
    const customer = await admitBooking(tx, { ctx, customerId: entry.customerId, seats: entry.seats, now, locale: input.locale });
    const created = await insertBooking(tx, {
      ctx,
      customerId: entry.customerId,
      seats: entry.seats,
      fields: entry.fields,
      status: "confirmed",
      priceFen: ctx.service.priceFen * entry.seats,
      amountDueFen: 0,
      holdExpiresAt: null,
      createdBy: input.actor.id,
      staffId: entry.staffId,
    });
    await tx.update(waitlistEntries).set({ status: "booked", bookingId: created.id }).where(eq(waitlistEntries.id, entry.id));
    await audit(tx, {
      actorId: input.actor.id,
      action: "booking.created",
      entityType: "booking",
      entityId: created.id,
      reason: "waitlist offer accepted",
      data: { status: created.status, seats: created.seats, amountDueFen: 0, timeslotId: ctx.slot.id, waitlistEntryId: entry.id },
    });
    await afterBookingWrite(tx, { kind: "created", booking: created, ctx, customer });
    return created;
  });
  return { entry: await getWaitlistEntry(db, found.id), booking: toBookingDto(booking, ctx.slot) };
}

/**
 * Leaves the queue. A free offer's held seats go back and on to the next in line in the same
 * transaction; a paid offer's held booking is cancelled (which does the same). A booked entry is
 * left by cancelling its booking.
 */
export async function leaveWaitlist(input: { entryId: string; actor: Actor; now?: Date }, db: Db = getDb()): Promise<WaitlistEntryDto> {
  const now = input.now ?? new Date();
  const entry = await loadOwnEntry(db, input.entryId, input.actor);
  if (entry.status === "offered" && entry.bookingId) {
    await cancelBooking({ bookingId: entry.bookingId, actor: input.actor, reason: "waitlist offer declined", now }, db);
    return getWaitlistEntry(db, entry.id);
  }
  const left = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(waitlistEntries)
      .set({ status: "left" })
      .where(
        and(
          eq(waitlistEntries.id, entry.id),
          inArray(waitlistEntries.status, ["waiting", "offered"]),
          sql`${waitlistEntries.bookingId} is null`,
        ),
      )
      .returning();
    if (!row) throw new AppError("INVALID_STATE", "waitlistNotLeavable", { status: entry.status }, { status: entry.status });
    await audit(tx, {
      actorId: input.actor.id,
      action: "waitlist.left",
      entityType: "timeslot",
      entityId: row.timeslotId,
      data: { entryId: row.id, from: entry.status },
    });
    if (entry.status === "offered") {
      await release(tx, row);
      await offerFreedSeats(tx, row.timeslotId, now);
    }
    return row;
  });
  if (entry.status === "offered") {
    const ctx = await loadSlotContext(db, left.timeslotId);
    await invalidateAvailability(db, [slotChange(ctx, left.staffId)], ctx.business.timezone);
  }
  return getWaitlistEntry(db, left.id);
}

/** A slot's queue for staff: live entries first in queue order, then the rest, newest first. */
export type QueueEntry = WaitlistEntryDto & { customerId: string; customerName: string; customerPhone: string | null };

export async function listSlotQueue(db: DbOrTx, timeslotId: string): Promise<QueueEntry[]> {
  const rows = await db
    .select({ ...dtoColumns, customerName: users.name, customerPhone: maskedPhone() })
    .from(waitlistEntries)
    .innerJoin(timeslots, eq(timeslots.id, waitlistEntries.timeslotId))
    .innerJoin(services, eq(services.id, timeslots.serviceId))
    .innerJoin(users, eq(users.id, waitlistEntries.customerId))
    .where(eq(waitlistEntries.timeslotId, timeslotId))
    .orderBy(
      sql`case ${waitlistEntries.status} when 'offered' then 0 when 'waiting' then 1 else 2 end`,
      asc(waitlistEntries.rank),
      asc(waitlistEntries.createdAt),
    );
  return rows.map((r) => ({ ...toDto(r), customerId: r.entry.customerId, customerName: r.customerName, customerPhone: r.customerPhone }));
}

/**
 * Staff move a waiting entry to `position` (1 = next in line) in its slot's queue: the waiting
 * entries are renumbered in one transaction under the slot's row lock (no offer runs meanwhile),
 * audited with the old and new position.
 */
export async function moveWaitlistEntry(
  input: { entryId: string; position: number; actor: Actor; reason?: string },
  db: Db = getDb(),
): Promise<QueueEntry[]> {
  requireStaff(input.actor);
  const [found] = await db.select().from(waitlistEntries).where(eq(waitlistEntries.id, input.entryId)).limit(1);
  if (!found) throw new AppError("NOT_FOUND", "waitlistEntryNotFound");
  await db.transaction(async (tx) => {
    await tx.select({ id: timeslots.id }).from(timeslots).where(eq(timeslots.id, found.timeslotId)).for("update");
    const queue = await tx
      .select({ id: waitlistEntries.id })
      .from(waitlistEntries)
      .where(and(eq(waitlistEntries.timeslotId, found.timeslotId), eq(waitlistEntries.status, "waiting")))
      .orderBy(asc(waitlistEntries.rank), asc(waitlistEntries.createdAt));
    const from = queue.findIndex((q) => q.id === found.id);
    if (from < 0) throw new AppError("INVALID_STATE", "waitlistNotWaiting");
    const to = Math.min(Math.max(1, input.position), queue.length) - 1;
    const ids = queue.map((q) => q.id);
    ids.splice(from, 1);
    ids.splice(to, 0, found.id);
    for (const [i, id] of ids.entries()) {
      await tx
        .update(waitlistEntries)
        .set({ rank: i + 1 })
        .where(and(eq(waitlistEntries.id, id), ne(waitlistEntries.rank, i + 1)));
    }
    await audit(tx, {
      actorId: input.actor.id,
      action: "waitlist.reordered",
      entityType: "timeslot",
      entityId: found.timeslotId,
      reason: input.reason ?? null,
      data: { entryId: found.id, customerId: found.customerId, from: from + 1, to: to + 1 },
    });
  });
  return listSlotQueue(db, found.timeslotId);
}
