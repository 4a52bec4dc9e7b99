import "server-only";
import { and, eq, gt, gte, inArray, lt, ne, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import type { DbOrTx, Tx } from "@/db/client";
import { bookings, businesses, services, timeslots, users, type Business, type Service, type Timeslot, type User } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { activeStatuses } from "./dto";
import { noShowFacts } from "./no-show";
import { resolvePolicy, type Policy } from "./policy";
import { evaluateRules, type BookingFacts } from "./rules";
import type { Locale } from "@/lib/i18n/config";

export type SlotContext = { slot: Timeslot; service: Service; business: Business; policy: Policy };

/** The slot with its service, business and resolved policy; NOT_FOUND when any is missing. */
export async function loadSlotContext(db: DbOrTx, timeslotId: string): Promise<SlotContext> {
  const [row] = await db
    .select({ slot: timeslots, service: services, business: businesses })
    .from(timeslots)
    .innerJoin(services, eq(services.id, timeslots.serviceId))
    .innerJoin(businesses, eq(businesses.id, services.businessId))
    .where(eq(timeslots.id, timeslotId))
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND", "timeslotNotFound");
  return { ...row, policy: resolvePolicy(row.business.policy, row.service.rules) };
}

/** Rule facts about a customer and a slot. Counts exclude `excludeBookingId` (the booking being moved). */
export async function bookingFacts(
  db: DbOrTx,
  ctx: SlotContext,
  customer: Pick<User, "id" | "groups">,
  seats: number,
  now: Date,
  excludeBookingId?: string,
): Promise<BookingFacts> {
  const zone = ctx.business.timezone;
  const day = DateTime.fromJSDate(ctx.slot.startsAt, { zone }).startOf("day");
  const mine = and(
    eq(bookings.customerId, customer.id),
    inArray(bookings.status, [...activeStatuses]),
    excludeBookingId ? ne(bookings.id, excludeBookingId) : undefined,
  );
  // Both counts in one statement: it runs inside every booking's transaction.
  const [counted] = await db
    .select({
      active: sql<number>`count(*) filter (where ${gt(timeslots.startsAt, now)})`.mapWith(Number),
      onDay:
        sql<number>`count(*) filter (where ${and(gte(timeslots.startsAt, day.toJSDate()), lt(timeslots.startsAt, day.plus({ days: 1 }).toJSDate()))})`.mapWith(
          Number,
        ),
    })
    .from(bookings)
    .innerJoin(timeslots, eq(timeslots.id, bookings.timeslotId))
    .where(mine);
  const noShows = await noShowFacts(db, customer.id, now, ctx.policy.noShowWindowDays);
  return {
    now,
    timezone: zone,
    customer: {
      id: customer.id,
      groups: customer.groups,
      activeBookings: counted?.active ?? 0,
      bookingsOnDay: counted?.onDay ?? 0,
      ...noShows,
    },
    service: { id: ctx.service.id, active: ctx.service.active, kind: ctx.service.kind, priceFen: ctx.service.priceFen },
    slot: {
      startsAt: ctx.slot.startsAt,
      endsAt: ctx.slot.endsAt,
      capacity: ctx.slot.capacity,
      bookedCount: ctx.slot.bookedCount,
      status: ctx.slot.status,
      restrictions: ctx.slot.restrictions,
    },
    seats,
  };
}

/** A customer's active future bookings, in all and per local date of their slots (for availability hints). */
export async function customerCounts(
  db: DbOrTx,
  customerId: string,
  now: Date,
  zone: string,
  excludeBookingId?: string,
): Promise<{ active: number; byDay: Map<string, number> }> {
  const rows = await db
    .select({ startsAt: timeslots.startsAt })
    .from(bookings)
    .innerJoin(timeslots, eq(timeslots.id, bookings.timeslotId))
    .where(
      and(
        eq(bookings.customerId, customerId),
        inArray(bookings.status, [...activeStatuses]),
        gt(timeslots.startsAt, now),
        excludeBookingId ? ne(bookings.id, excludeBookingId) : undefined,
      ),
    );
  const byDay = new Map<string, number>();
  for (const r of rows) {
    const day = DateTime.fromJSDate(r.startsAt, { zone }).toISODate() ?? "";
    byDay.set(day, (byDay.get(day) ?? 0) + 1);
  }
  return { active: rows.length, byDay };
}

/** Rules the conditional seat update decides: a full or closed slot is 409, not a rule violation. */
const decidedByCapacity = new Set(["not_enough_seats", "slot_closed"]);

/**
 * Admits a booking of `seats` on the slot for the customer inside the caller's transaction, or throws
 * RULE_VIOLATION with every violation. The customer's row is locked first (FOR NO KEY UPDATE: the
 * bookings' foreign-key checks still pass), so a burst from one customer is counted one booking at
 * a time and can never exceed a per-customer limit; other customers never wait on it. Callers take
 * this lock before any slot's row lock, so the two never deadlock.
 */
export async function admitBooking(
  tx: Tx,
  input: { ctx: SlotContext; customerId: string; seats: number; now: Date; locale?: Locale; excludeBookingId?: string },
): Promise<User> {
  const [customer] = await tx.select().from(users).where(eq(users.id, input.customerId)).for("no key update").limit(1);
  if (!customer) throw new AppError("NOT_FOUND", "customerNotFound");
  const facts = await bookingFacts(tx, input.ctx, customer, input.seats, input.now, input.excludeBookingId);
  const violations = (await evaluateRules(facts, input.ctx.policy, input.ctx.business.customRules, input.locale)).filter(
    (v) => !decidedByCapacity.has(v.rule),
  );
  if (violations.length > 0) {
    throw new AppError("RULE_VIOLATION", violations.map((v) => v.text).join("；"), { violations });
  }
  return customer;
}
