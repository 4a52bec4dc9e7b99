import "server-only";
import { and, eq, isNull, type SQL } from "drizzle-orm";
import { DateTime } from "luxon";
import { getDb, type Db, type Tx } from "@/db/client";
import { loadBookingRecord, type BookingRecord } from "@/db/booking-record";
import { bookings, type Booking, type BookingStatus } from "@/db/schema";
import { audit } from "@/lib/audit";
import { requireStaff } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/actor";
import { markOfferBooked } from "./waitlist-offers";

/** Check-in opens this long before the slot (or at the start of its local day, if earlier) and closes this long after it ends. */
const CHECK_IN_MARGIN_MS = 2 * 3_600_000;

/** Runs inside the transition's transaction (e.g. the notification outbox), so it commits or rolls back with it. */
export type AfterWrite = (tx: Tx, booking: Booking) => Promise<void>;

type Loaded = BookingRecord;

async function load(db: Db, where: SQL): Promise<Loaded> {
  const row = await loadBookingRecord(db, where);
  if (!row) throw new AppError("NOT_FOUND", "bookingNotFound");
  return row;
}

/** The `errors` catalogue key saying which transition a booking's status forbids. */
type Verb = "cannotConfirm" | "cannotCheckIn" | "cannotComplete" | "cannotMarkNoShow";
const CONFIRM: Verb = "cannotConfirm";
const CHECK_IN: Verb = "cannotCheckIn";
const COMPLETE: Verb = "cannotComplete";
const NO_SHOW: Verb = "cannotMarkNoShow";

const invalidState = (status: BookingStatus, key: Verb) => new AppError("INVALID_STATE", key, { status }, { status });

/**
 * One guarded transition: `UPDATE … WHERE id = ? AND status = <from> [AND extra]` and its audit row in
 * the same transaction. Nothing matched (the booking moved meanwhile) → INVALID_STATE with its status now.
 */
async function transition(
  db: Db,
  input: {
    loaded: Loaded;
    from: BookingStatus;
    set: Partial<Booking>;
    extra?: SQL;
    action: string;
    actor: Actor;
    reason?: string | null;
    what: Verb;
    now: Date;
    after?: AfterWrite;
  },
): Promise<Booking> {
  const { booking } = input.loaded;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(bookings)
      .set(input.set)
      .where(and(eq(bookings.id, booking.id), eq(bookings.status, input.from), input.extra))
      .returning();
    if (!row) {
      const [current] = await tx.select({ status: bookings.status }).from(bookings).where(eq(bookings.id, booking.id));
      throw invalidState(current?.status ?? booking.status, input.what);
    }
    await audit(tx, {
      actorId: input.actor.id,
      action: input.action,
      entityType: "booking",
      entityId: row.id,
      reason: input.reason ?? null,
      data: { from: input.from, to: row.status, code: row.code },
    });
    await input.after?.(tx, row);
    return row;
  });
}

/** pending_payment → confirmed without a gateway payment (paid at the desk, waived…); the reason is required. */
export async function confirmBooking(
  input: { bookingId: string; actor: Actor; reason: string; now?: Date },
  db: Db = getDb(),
  after?: AfterWrite,
): Promise<Booking> {
  requireStaff(input.actor);
  const reason = input.reason.trim();
  if (!reason) throw new AppError("VALIDATION_FAILED", "confirmReasonRequired");
  const loaded = await load(db, eq(bookings.id, input.bookingId));
  if (loaded.booking.status !== "pending_payment") throw invalidState(loaded.booking.status, CONFIRM);
  return transition(db, {
    loaded,
    from: "pending_payment",
    set: { status: "confirmed", holdExpiresAt: null },
    action: "booking.confirmed",
    actor: input.actor,
    reason,
    what: CONFIRM,
    now: input.now ?? new Date(),
    // A waitlist offer's held booking confirmed at the desk: the entry is booked.
    after: async (tx, row) => {
      await markOfferBooked(tx, row.id);
      await after?.(tx, row);
    },
  });
}

/** When a booking may be checked in: its slot's local day, widened by the margin around the slot itself. */
export function checkInWindow(startsAt: Date, endsAt: Date, timezone: string): { opensAt: Date; closesAt: Date } {
  const day = DateTime.fromJSDate(startsAt, { zone: timezone }).startOf("day");
  const opensAt = Math.min(day.toMillis(), startsAt.getTime() - CHECK_IN_MARGIN_MS);
  const closesAt = Math.max(day.plus({ days: 1 }).toMillis(), endsAt.getTime() + CHECK_IN_MARGIN_MS);
  return { opensAt: new Date(opensAt), closesAt: new Date(closesAt) };
}

/** 核销: the code the customer shows → checked_in_at, once, for a confirmed booking on the day of its slot. */
export async function checkInBooking(input: { code: string; actor: Actor; now?: Date }, db: Db = getDb()): Promise<Booking> {
  requireStaff(input.actor);
  const now = input.now ?? new Date();
  const code = input.code.trim().toUpperCase().replace(/[\s-]/g, "");
  if (!code) throw new AppError("VALIDATION_FAILED", "bookingCodeRequired");
  const loaded = await load(db, eq(bookings.code, code));
  const { booking } = loaded;
  if (booking.status !== "confirmed") throw invalidState(booking.status, CHECK_IN);
  if (booking.checkedInAt) {
    throw new AppError("INVALID_STATE", "alreadyCheckedIn", {
      checkedInAt: booking.checkedInAt.toISOString(),
    });
  }
  const { opensAt, closesAt } = checkInWindow(loaded.slot.startsAt, loaded.slot.endsAt, loaded.business.timezone);
  if (now < opensAt || now > closesAt) {
    throw new AppError("INVALID_STATE", "checkInSameDay", {
      opensAt: opensAt.toISOString(),
      closesAt: closesAt.toISOString(),
    });
  }
  return transition(db, {
    loaded,
    from: "confirmed",
    set: { checkedInAt: now },
    extra: isNull(bookings.checkedInAt),
    action: "booking.checked_in",
    actor: input.actor,
    what: CHECK_IN,
    now,
  });
}

/**
 * confirmed → completed: the appointment took place, so not before its start (unless the customer
 * has checked in: they are here and were served early).
 */
export async function completeBooking(
  input: { bookingId: string; actor: Actor; reason?: string; now?: Date },
  db: Db = getDb(),
): Promise<Booking> {
  requireStaff(input.actor);
  const now = input.now ?? new Date();
  const loaded = await load(db, eq(bookings.id, input.bookingId));
  if (loaded.booking.status !== "confirmed") throw invalidState(loaded.booking.status, COMPLETE);
  if (loaded.slot.startsAt > now && !loaded.booking.checkedInAt) throw new AppError("INVALID_STATE", "notStartedYet");
  return transition(db, {
    loaded,
    from: "confirmed",
    set: { status: "completed" },
    action: "booking.completed",
    actor: input.actor,
    reason: input.reason?.trim() || null,
    what: COMPLETE,
    now,
  });
}

/** confirmed → no_show, once the slot has started and only if the customer did not check in. */
export async function markNoShow(
  input: { bookingId: string; actor: Actor; reason?: string; now?: Date },
  db: Db = getDb(),
): Promise<Booking> {
  requireStaff(input.actor);
  const now = input.now ?? new Date();
  const loaded = await load(db, eq(bookings.id, input.bookingId));
  if (loaded.booking.status !== "confirmed") throw invalidState(loaded.booking.status, NO_SHOW);
  if (loaded.slot.startsAt > now) throw new AppError("INVALID_STATE", "notStartedYet");
  if (loaded.booking.checkedInAt) throw new AppError("INVALID_STATE", "customerCheckedIn");
  return transition(db, {
    loaded,
    from: "confirmed",
    set: { status: "no_show" },
    extra: isNull(bookings.checkedInAt),
    action: "booking.no_show",
    actor: input.actor,
    reason: input.reason?.trim() || null,
    what: NO_SHOW,
    now,
  });
}
