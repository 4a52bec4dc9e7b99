import "server-only";
import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import { getCaughtUpReadDb, getDb, type DbOrTx } from "@/db/client";
import { businesses, services, timeslots, type User } from "@/db/schema";
import { qualified } from "@/db/sql";
import { readGenerations, storeGenerations } from "@/lib/cache";
import { catalogItem } from "@/lib/cache/catalog";
import { AppError } from "@/lib/errors";
import { freeStaffBySlot, type SlotStaff } from "@/lib/booking/staff-slots";
import { availabilityKey, localDate } from "./availability-cache";
import { customerCounts } from "./context";
import { resolvePolicy, type Policy } from "./policy";
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
  /** The staff members free at the slot with the seats each can still take; null: nobody offers the service. */
  staff: SlotStaff[] | null;
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
  /** When staff offer the service: the ones free at the slot, with the seats each can still take. */
  staff?: { id: string; remaining: number }[];
};

const DAY_TTL_SECONDS = 60;

const resourceBusyReason = (locale: Locale): Violation => {
  const message = { "zh-CN": "服务人员或场地在该时间已被占用", en: "The staff member or room is busy at that time" };
  return { rule: "resource_busy", message, text: message[locale] };
};
const MAX_DAYS = 62;

async function loadDay(db: DbOrTx, facts: ServiceFacts, start: Date, end: Date): Promise<DaySlot[]> {
  const { serviceId, buffers } = facts;
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
  const staff = await freeStaffBySlot(db, { serviceId, capacity: facts.capacity, slots: rows, buffers, timezone: facts.timezone });
  return rows.map((r) => ({
    ...r,
    startsAt: r.startsAt.toISOString(),
    endsAt: r.endsAt.toISOString(),
    resourceBusy: Boolean(r.resourceBusy),
    staff: staff ? (staff.get(r.id) ?? []) : null,
  }));
}

type ServiceFacts = {
  serviceId: string;
  active: boolean;
  timezone: string;
  buffers: { before: number; after: number };
  /** Seats per staff member (the slot's capacity when nobody offers the service). */
  capacity: number;
  policy: Policy;
  customRules: unknown;
};

async function loadServiceFacts(db: DbOrTx, serviceId: string): Promise<ServiceFacts | null> {
  const [row] = await db
    .select({ service: services, business: businesses })
    .from(services)
    .innerJoin(businesses, eq(businesses.id, services.businessId))
    .where(eq(services.id, serviceId))
    .limit(1);
  if (!row) return null;
  return {
    serviceId: row.service.id,
    active: row.service.active,
    timezone: row.business.timezone,
    buffers: { before: row.service.bufferBeforeMin, after: row.service.bufferAfterMin },
    capacity: row.service.capacity,
    policy: resolvePolicy(row.business.policy, row.service.rules),
    customRules: row.business.customRules,
  };
}

/** The days' slot lists of one service, loaded by one query over the span of the days asked for. */
async function loadDays(db: DbOrTx, facts: ServiceFacts, days: DateTime[]): Promise<DaySlot[][]> {
  const first = days[0]!;
  const end = days[days.length - 1]!.plus({ days: 1 });
  const rows = await loadDay(db, facts, first.toJSDate(), end.toJSDate());
  const byDate = new Map<string, DaySlot[]>(days.map((d) => [d.toISODate() ?? "", []]));
  for (const r of rows) byDate.get(localDate(new Date(r.startsAt), facts.timezone))?.push(r);
  return days.map((d) => byDate.get(d.toISODate() ?? "") ?? []);
}

/**
 * Slots of a service between two local dates (inclusive) with remaining seats, each marked open or
 * with the reasons this caller cannot book it (full, closed, resource busy, policy and custom
 * rules). The service's facts and every day list come from one cache MGET (PostgreSQL on a miss
 * or outage, one query for all missing days); the rules run per caller over the cached lists.
 */
export async function getAvailability(
  input: {
    serviceId: string;
    from: string;
    to: string;
    customer?: Pick<User, "id" | "groups"> | null;
    /** A booking of this customer being rescheduled: it does not count against their limits. */
    excludeBookingId?: string;
    /** Only this staff member's seats count (the customer picked them, 选技师). */
    staffId?: string;
    now?: Date;
    locale?: Locale;
  },
  db: DbOrTx = getDb(),
): Promise<{ timezone: string; slots: AvailableSlot[] }> {
  const now = input.now ?? new Date();
  // The business's zone is needed to know which days to read: it comes with the service's facts,
  // read in the same MGET as the days of the previous lookup's zone (all but always the same).
  const factsItem = catalogItem(`avail-service:v2:${input.serviceId}`);
  const guessZone = zoneHint.get(input.serviceId);
  const guessDays = guessZone ? dateRange(input.from, input.to, guessZone) : null;
  const dayItems = (days: DateTime[]) => days.map((d) => ({ group: availabilityKey(input.serviceId, d.toISODate() ?? "") }));
  const read = await readGenerations<unknown>([factsItem, ...(guessDays ? dayItems(guessDays) : [])]);
  let facts = (read?.values[0] as ServiceFacts | null | undefined) ?? null;
  if (!facts) {
    facts = await loadServiceFacts(db, input.serviceId);
    if (!facts) throw new AppError("NOT_FOUND", "serviceNotFound");
    if (read) await storeGenerations([{ item: factsItem, token: read.tokens[0]!, value: facts }], FACTS_TTL_SECONDS);
  }
  const zone = facts.timezone;
  zoneHint.set(input.serviceId, zone);
  const days = dateRange(input.from, input.to, zone);
  const items = dayItems(days);
  const reuse = guessZone === zone && read ? read : null;
  const lists: (DaySlot[] | null)[] = reuse ? (reuse.values.slice(1) as (DaySlot[] | null)[]) : items.map(() => null);
  let tokens = reuse?.tokens.slice(1) ?? null;
  if (!reuse && read) {
    const again = await readGenerations<DaySlot[]>(items);
    if (again) {
      again.values.forEach((v, n) => (lists[n] = v));
      tokens = again.tokens;
    }
  }
  const missing = lists.flatMap((v, n) => (v === null ? [n] : []));
  if (missing.length > 0) {
    // A miss loads from a replica that has caught up with the primary (checked after the cache's
    // generations were read, so it has every booking invalidated before); a caller's own db or
    // transaction keeps it.
    const source = db === getDb() ? await getCaughtUpReadDb() : db;
    const loaded = await loadDays(
      source,
      facts,
      missing.map((n) => days[n]!),
    );
    missing.forEach((n, k) => (lists[n] = loaded[k]!));
    if (tokens) {
      const t = tokens;
      await storeGenerations(
        missing.map((n, k) => ({ item: items[n]!, token: t[n]!, value: loaded[k]! })),
        DAY_TTL_SECONDS,
      );
    }
  }

  const counts = input.customer ? await customerCounts(db, input.customer.id, now, zone, input.excludeBookingId) : null;
  const check = prepareRules(facts.policy, facts.customRules, input.locale);
  const busy = resourceBusyReason(input.locale ?? "zh-CN");
  const customerBase = { id: input.customer?.id ?? "", groups: input.customer?.groups ?? [], activeBookings: counts?.active ?? 0 };
  const service = { id: facts.serviceId, active: facts.active };
  const out: AvailableSlot[] = [];
  for (const [n, list] of lists.entries()) {
    // Every slot of a day list starts on that local date: the viewer's per-day count is looked up once.
    const customer = { ...customerBase, bookingsOnDay: counts?.byDay.get(days[n]!.toISODate() ?? "") ?? 0 };
    for (const s of list ?? []) {
      const slot = { ...s, startsAt: new Date(s.startsAt), endsAt: new Date(s.endsAt) };
      // Anonymous visitors see every slot they could book once signed in: group rules wait for a customer.
      const reasons = (await check({ now, timezone: zone, customer, service, slot, seats: 1 })).filter(
        (v) => input.customer || !v.rule.startsWith("group_"),
      );
      const seatsLeft = Math.max(0, s.capacity - s.bookedCount);
      // With staff, the free staff members' seats bound the slot's: it is free while one of them is.
      const pool = s.staff && (input.staffId ? s.staff.filter((m) => m.id === input.staffId) : s.staff);
      const staffSeats = pool ? pool.reduce((sum, m) => sum + m.left, 0) : seatsLeft;
      const blocked = s.resourceBusy || (seatsLeft > 0 && staffSeats === 0);
      if (blocked) reasons.push(busy);
      const remaining = blocked ? 0 : Math.min(seatsLeft, staffSeats);
      const state: AvailableSlot["state"] =
        s.status === "closed" ? "closed" : seatsLeft === 0 ? "full" : blocked || reasons.length > 0 ? "unavailable" : "open";
      out.push({
        id: s.id,
        startsAt: s.startsAt,
        endsAt: s.endsAt,
        capacity: s.capacity,
        remaining,
        state,
        reasons,
        ...(s.staff && { staff: s.staff.map((m) => ({ id: m.id, remaining: Math.min(m.left, seatsLeft) })) }),
      });
    }
  }
  return { timezone: zone, slots: out };
}

/** The service's time zone seen last, so the first MGET can already ask for the right days. */
const zoneHint = new Map<string, string>();

const FACTS_TTL_SECONDS = 300;

function dateRange(from: string, to: string, zone: string): DateTime[] {
  const first = DateTime.fromISO(from, { zone });
  const last = DateTime.fromISO(to, { zone });
  if (!first.isValid || !last.isValid || last < first) throw new AppError("VALIDATION_FAILED", "invalidDateRange");
  const days = Math.round(last.diff(first, "days").days) + 1;
  if (days > MAX_DAYS) throw new AppError("VALIDATION_FAILED", "rangeTooLong", undefined, { days: MAX_DAYS });
  return Array.from({ length: days }, (_, i) => first.plus({ days: i }));
}
