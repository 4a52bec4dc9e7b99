import "server-only";
import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import { getCaughtUpReadDb, getDb, type DbOrTx } from "@/db/client";
import { businesses, services, timeslots, type User } from "@/db/schema";
import { qualified } from "@/db/sql";
import { cachedInGeneration } from "@/lib/cache";
import { AppError } from "@/lib/errors";
import { availabilityKey, localDate } from "./availability-cache";
import { customerCounts } from "./context";
import { resolvePolicy } from "./policy";
import { prepareRules, type Violation } from "./rules";
import type { Locale } from "@/lib/i18n/config";
import type { SlotRestrictions } from "@/db/schema";

/** What the cache holds per service and day: shared by every customer. */
type DaySlot = {
  id: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
  bookedCount: number;
  status: "open" | "closed";
  restrictions: SlotRestrictions;
  /** The slot's staff member or room is taken by another booked slot at an overlapping time. */
  resourceBusy: boolean;
};

export type AvailableSlot = {
  id: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
  remaining: number;
  /** open: bookable by this caller; otherwise why not. */
  state: "open" | "full" | "closed" | "unavailable";
  reasons: Violation[];
};

const DAY_TTL_SECONDS = 60;

const resourceBusyReason = (locale: Locale): Violation => {
  const message = { "zh-CN": "服务人员或场地在该时间已被占用", en: "The staff member or room is busy at that time" };
  return { rule: "resource_busy", message, text: message[locale] };
};
const MAX_DAYS = 62;

async function loadDay(
  db: DbOrTx,
  serviceId: string,
  start: Date,
  end: Date,
  buffers: { before: number; after: number },
): Promise<DaySlot[]> {
  const rows = await db
    .select({
      id: timeslots.id,
      startsAt: timeslots.startsAt,
      endsAt: timeslots.endsAt,
      capacity: timeslots.capacity,
      bookedCount: timeslots.bookedCount,
      status: timeslots.status,
      restrictions: timeslots.restrictions,
      resourceBusy: sql<boolean>`exists (select 1 from resource_busy rb where rb.resource_id = ${qualified(timeslots.resourceId)}
        and rb.active and rb.timeslot_id <> ${qualified(timeslots.id)}
        and rb.during && tstzrange(${qualified(timeslots.startsAt)} - make_interval(mins => ${buffers.before}),
                                   ${qualified(timeslots.endsAt)} + make_interval(mins => ${buffers.after}), '[)'))`,
    })
    .from(timeslots)
    .where(and(eq(timeslots.serviceId, serviceId), gte(timeslots.startsAt, start), lt(timeslots.startsAt, end)))
    .orderBy(asc(timeslots.startsAt));
  return rows.map((r) => ({
    ...r,
    startsAt: r.startsAt.toISOString(),
    endsAt: r.endsAt.toISOString(),
    resourceBusy: Boolean(r.resourceBusy),
  }));
}

/**
 * Slots of a service between two local dates (inclusive) with remaining seats, each marked open or
 * with the reasons this caller cannot book it (full, closed, resource busy, policy and custom
 * rules). Day lists come from the cache (PostgreSQL on a miss or outage); rules run per caller.
 */
export async function getAvailability(
  input: {
    serviceId: string;
    from: string;
    to: string;
    customer?: Pick<User, "id" | "groups"> | null;
    /** A booking of this customer being rescheduled: it does not count against their limits. */
    excludeBookingId?: string;
    now?: Date;
    locale?: Locale;
  },
  db: DbOrTx = getDb(),
): Promise<{ timezone: string; slots: AvailableSlot[] }> {
  const now = input.now ?? new Date();
  const [row] = await db
    .select({ service: services, business: businesses })
    .from(services)
    .innerJoin(businesses, eq(businesses.id, services.businessId))
    .where(eq(services.id, input.serviceId))
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND", "serviceNotFound");
  const zone = row.business.timezone;
  const first = DateTime.fromISO(input.from, { zone });
  const last = DateTime.fromISO(input.to, { zone });
  if (!first.isValid || !last.isValid || last < first) throw new AppError("VALIDATION_FAILED", "invalidDateRange");
  const days = Math.round(last.diff(first, "days").days) + 1;
  if (days > MAX_DAYS) throw new AppError("VALIDATION_FAILED", "rangeTooLong", undefined, { days: MAX_DAYS });

  const buffers = { before: row.service.bufferBeforeMin, after: row.service.bufferAfterMin };
  const perDay = await Promise.all(
    Array.from({ length: days }, (_, i) => {
      const day = first.plus({ days: i });
      // A miss loads from a replica that has caught up with the primary (checked after the cache's
      // generation was read, so it has every booking invalidated before); a caller's own db or
      // transaction keeps it.
      return cachedInGeneration(availabilityKey(row.service.id, day.toISODate() ?? ""), DAY_TTL_SECONDS, async () =>
        loadDay(db === getDb() ? await getCaughtUpReadDb() : db, row.service.id, day.toJSDate(), day.plus({ days: 1 }).toJSDate(), buffers),
      );
    }),
  );

  const policy = resolvePolicy(row.business.policy, row.service.rules);
  const counts = input.customer ? await customerCounts(db, input.customer.id, now, zone, input.excludeBookingId) : null;
  const check = prepareRules(policy, row.business.customRules, input.locale);
  const out: AvailableSlot[] = [];
  for (const s of perDay.flat()) {
    const slot = { ...s, startsAt: new Date(s.startsAt), endsAt: new Date(s.endsAt) };
    const customer = {
      id: input.customer?.id ?? "",
      groups: input.customer?.groups ?? [],
      activeBookings: counts?.active ?? 0,
      bookingsOnDay: counts?.byDay.get(localDate(slot.startsAt, zone)) ?? 0,
    };
    // Anonymous visitors see every slot they could book once signed in: group rules wait for a customer.
    const reasons = (
      await check({ now, timezone: zone, customer, service: { id: row.service.id, active: row.service.active }, slot, seats: 1 })
    ).filter((v) => input.customer || !v.rule.startsWith("group_"));
    if (s.resourceBusy) reasons.push(resourceBusyReason(input.locale ?? "zh-CN"));
    const remaining = Math.max(0, s.capacity - s.bookedCount);
    const state: AvailableSlot["state"] =
      s.status === "closed" ? "closed" : remaining === 0 ? "full" : s.resourceBusy || reasons.length > 0 ? "unavailable" : "open";
    out.push({
      id: s.id,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      capacity: s.capacity,
      remaining: s.resourceBusy ? 0 : remaining,
      state,
      reasons,
    });
  }
  return { timezone: zone, slots: out };
}
