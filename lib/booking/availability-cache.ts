import "server-only";
import { and, gt, inArray, lt, or } from "drizzle-orm";
import { DateTime } from "luxon";
import type { DbOrTx } from "@/db/client";
import { resourceBusy, serviceStaff, timeslots } from "@/db/schema";
import { invalidateGenerations } from "@/lib/cache";
import { forgetSeatGates } from "./seat-gate";

/** One cache group per service and local date: what availability reads and what changes invalidate. */
export const availabilityKey = (serviceId: string, date: string) => `avail:v2:${serviceId}:${date}`;

export const localDate = (at: Date, timezone: string) => DateTime.fromJSDate(at, { zone: timezone }).toISODate() ?? "";

/**
 * A timeslot whose seats or status changed: enough to find every cached day it shows up in. The
 * staff member is the one whose seats in it changed (a booking's, lib/booking/assign-staff).
 */
export type SlotChange = {
  slotId?: string;
  serviceId: string;
  resourceId: string | null;
  staffId?: string | null;
  startsAt: Date;
  endsAt: Date;
};

/** The change a booking on this slot makes; the slot's own resource wins over its service's. */
export const slotChange = (
  c: {
    service: { id: string; resourceId: string | null };
    slot: { id: string; resourceId: string | null; startsAt: Date; endsAt: Date };
  },
  staffId: string | null = null,
): SlotChange => ({
  slotId: c.slot.id,
  serviceId: c.service.id,
  resourceId: c.slot.resourceId ?? c.service.resourceId,
  staffId,
  startsAt: c.slot.startsAt,
  endsAt: c.slot.endsAt,
});

/**
 * Another slot is blocked when its buffered interval meets this one's: its own buffer plus this
 * slot's can reach that far. Each buffer is at most a day (lib/validations), so two days cover it.
 */
const BUFFER_MARGIN_MS = 2 * 86_400_000;

/**
 * Invalidates the cached days a change touched: the slot's own day, and the day of every other
 * slot on the same resource or of a service its staff member offers, that its buffers could make
 * overlap (those may now be blocked or free), whichever service owns it and even when it starts on another local date (a late slot
 * running past midnight), and the slots' seat gates (./seat-gate) unless the change only took
 * seats (the gate already counted them). Called after the transaction commits.
 */
export async function invalidateAvailability(
  db: DbOrTx,
  changes: SlotChange[],
  timezone: string,
  options: { seatsTakenOnly?: boolean } = {},
): Promise<void> {
  if (changes.length === 0) return;
  if (!options.seatsTakenOnly) await forgetSeatGates(changes.flatMap((c) => (c.slotId ? [c.slotId] : [])));
  const keys = new Set(changes.map((c) => availabilityKey(c.serviceId, localDate(c.startsAt, timezone))));
  // The staff members and rooms with an interval in a changed slot (taken or just given back),
  // whoever's booking or waitlist offer it was.
  const slotIds = changes.flatMap((c) => (c.slotId ? [c.slotId] : []));
  const held =
    slotIds.length > 0
      ? await db
          .selectDistinct({ slotId: resourceBusy.timeslotId, resourceId: resourceBusy.resourceId })
          .from(resourceBusy)
          .where(inArray(resourceBusy.timeslotId, slotIds))
      : [];
  const overlaps = changes.flatMap((c) => {
    const ids = [...new Set([c.resourceId, c.staffId, ...held.filter((h) => h.slotId === c.slotId).map((h) => h.resourceId)])].filter(
      (id): id is string => Boolean(id),
    );
    if (ids.length === 0) return [];
    // A resource is busy for the slots that take it whole and for those of every service it staffs.
    const offered = db.select({ id: serviceStaff.serviceId }).from(serviceStaff).where(inArray(serviceStaff.resourceId, ids));
    return [
      and(
        or(inArray(timeslots.resourceId, ids), inArray(timeslots.serviceId, offered)),
        lt(timeslots.startsAt, new Date(c.endsAt.getTime() + BUFFER_MARGIN_MS)),
        gt(timeslots.endsAt, new Date(c.startsAt.getTime() - BUFFER_MARGIN_MS)),
      ),
    ];
  });
  if (overlaps.length > 0) {
    const sharing = await db
      .selectDistinct({ serviceId: timeslots.serviceId, startsAt: timeslots.startsAt })
      .from(timeslots)
      .where(or(...overlaps));
    for (const s of sharing) keys.add(availabilityKey(s.serviceId, localDate(s.startsAt, timezone)));
  }
  await invalidateGenerations([...keys]);
}

/**
 * Invalidates every cached day of the services a staff member offers (or offered: `serviceIds`)
 * from `from` on: their hours, time off or services changed, so their free times did. Called after
 * the change commits.
 */
export async function invalidateStaffDays(
  db: DbOrTx,
  input: { resourceId?: string; serviceIds?: string[]; timezone: string; from: Date; to?: Date },
): Promise<void> {
  const offered = input.resourceId
    ? await db
        .select({ id: serviceStaff.serviceId })
        .from(serviceStaff)
        .where(inArray(serviceStaff.resourceId, [input.resourceId]))
    : [];
  const ids = [...new Set([...offered.map((o) => o.id), ...(input.serviceIds ?? [])])];
  if (ids.length === 0) return;
  const slots = await db
    .selectDistinct({ serviceId: timeslots.serviceId, startsAt: timeslots.startsAt })
    .from(timeslots)
    .where(
      and(inArray(timeslots.serviceId, ids), gt(timeslots.endsAt, input.from), input.to ? lt(timeslots.startsAt, input.to) : undefined),
    );
  await invalidateGenerations([...new Set(slots.map((s) => availabilityKey(s.serviceId, localDate(s.startsAt, input.timezone))))]);
}
