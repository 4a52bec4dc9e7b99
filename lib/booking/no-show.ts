import "server-only";
import { and, asc, eq, gte, isNull, lte, sql } from "drizzle-orm";
import { getDb, type Db, type DbOrTx } from "@/db/client";
import { selectBookingRecords } from "@/db/booking-record";
import { bookings, timeslots, type Booking } from "@/db/schema";
import { audit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";
import { requireStaff } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { requestRefund } from "@/lib/payments/refunds";
import { paidFen } from "./cancel-booking";
import { resolvePolicy, type Policy } from "./policy";

/** A customer's no-shows that count (staff forgave none of them): all of them, and those of the last `windowDays`. */
export async function noShowFacts(
  db: DbOrTx,
  customerId: string,
  now: Date,
  windowDays: number,
): Promise<{ noShowCount: number; recentNoShows: number }> {
  const since = new Date(now.getTime() - windowDays * 86_400_000);
  const [row] = await db
    .select({
      total: sql<number>`count(*)`.mapWith(Number),
      recent: sql<number>`count(*) filter (where ${gte(timeslots.startsAt, since)})`.mapWith(Number),
    })
    .from(bookings)
    .innerJoin(timeslots, eq(timeslots.id, bookings.timeslotId))
    .where(and(eq(bookings.customerId, customerId), eq(bookings.status, "no_show"), isNull(bookings.noShowForgivenAt)));
  return { noShowCount: row?.total ?? 0, recentNoShows: row?.recent ?? 0 };
}

/**
 * The policy a booking by this customer is charged under: the full price up front (no deposit)
 * once they have `noShowPrepayAfter` recent no-shows.
 */
export async function policyForCustomer(db: DbOrTx, policy: Policy, customerId: string, now: Date): Promise<Policy> {
  if (policy.noShowPrepayAfter === null) return policy;
  const { recentNoShows } = await noShowFacts(db, customerId, now, policy.noShowWindowDays);
  return recentNoShows >= policy.noShowPrepayAfter ? { ...policy, payment: { mode: "full" } } : policy;
}

/** The longest noShowAfterMinutes allowed (policySchema), plus a margin: older slots are never looked at again. */
const LOOK_BACK_MS = 2 * 86_400_000;

/**
 * The no-show job: confirmed bookings not checked in `noShowAfterMinutes` after their start (the
 * service's policy; null = off) become no_show, each in its own guarded transaction (a check-in at
 * the same moment wins). Unless the policy forfeits it, what was paid is refunded.
 */
export async function markNoShows(now = new Date(), db: Db = getDb(), limit = 500): Promise<string[]> {
  const candidates = await selectBookingRecords(
    db,
    and(
      eq(bookings.status, "confirmed"),
      isNull(bookings.checkedInAt),
      lte(timeslots.startsAt, now),
      gte(timeslots.startsAt, new Date(now.getTime() - LOOK_BACK_MS)),
    ),
  )
    .orderBy(asc(timeslots.startsAt))
    .limit(limit);
  const marked: string[] = [];
  for (const c of candidates) {
    const policy = resolvePolicy(c.business.policy, c.service.rules);
    if (policy.noShowAfterMinutes === null) continue;
    if (c.slot.startsAt.getTime() + policy.noShowAfterMinutes * 60_000 > now.getTime()) continue;
    const refundFen = policy.noShowForfeitDeposit ? 0 : await paidFen(db, c.booking.id);
    const done = await db.transaction(async (tx) => {
      const [row] = await tx
        .update(bookings)
        .set({ status: "no_show" })
        .where(and(eq(bookings.id, c.booking.id), eq(bookings.status, "confirmed"), isNull(bookings.checkedInAt)))
        .returning();
      if (!row) return false;
      await audit(tx, {
        actorLabel: "system",
        action: "booking.no_show",
        entityType: "booking",
        entityId: row.id,
        reason: "not checked in",
        data: { from: "confirmed", to: "no_show", code: row.code, afterMinutes: policy.noShowAfterMinutes, refundFen },
      });
      if (refundFen > 0) await requestRefund(tx, { bookingId: row.id, amountFen: refundFen, reason: "no-show, deposit not forfeited" });
      return true;
    });
    if (done) marked.push(c.booking.id);
  }
  return marked;
}

/** Staff forgive a no-show: it stays in the history but no longer counts in the customer's no-show facts. Audited. */
export async function forgiveNoShow(
  input: { bookingId: string; actor: Actor; reason?: string; now?: Date },
  db: Db = getDb(),
): Promise<Booking> {
  requireStaff(input.actor);
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(bookings)
      .set({ noShowForgivenAt: now })
      .where(and(eq(bookings.id, input.bookingId), eq(bookings.status, "no_show"), isNull(bookings.noShowForgivenAt)))
      .returning();
    if (!row) {
      const [current] = await tx.select().from(bookings).where(eq(bookings.id, input.bookingId));
      if (!current) throw new AppError("NOT_FOUND", "bookingNotFound");
      if (current.noShowForgivenAt) return current;
      throw new AppError("INVALID_STATE", "cannotForgive", { status: current.status }, { status: current.status });
    }
    await audit(tx, {
      actorId: input.actor.id,
      action: "booking.no_show_forgiven",
      entityType: "booking",
      entityId: row.id,
      reason: input.reason?.trim() || null,
      data: { customerId: row.customerId },
    });
    return row;
  });
}

/** When staff forgave this no-show, or null. */
export async function noShowForgivenAt(db: DbOrTx, bookingId: string): Promise<Date | null> {
  const [row] = await db.select({ at: bookings.noShowForgivenAt }).from(bookings).where(eq(bookings.id, bookingId)).limit(1);
  return row?.at ?? null;
}
