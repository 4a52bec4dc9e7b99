import "server-only";
import { and, eq, gt, lt, or } from "drizzle-orm";
import { DateTime } from "luxon";
import type { DbOrTx } from "@/db/client";
import { timeslots } from "@/db/schema";
import { invalidateGenerations } from "@/lib/cache";
import { forgetSeatGates } from "./seat-gate";

/** One cache group per service and local date: what availability reads and what changes invalidate. */
export const availabilityKey = (serviceId: string, date: string) => `avail:v1:${serviceId}:${date}`;

export const localDate = (at: Date, timezone: string) => DateTime.fromJSDate(at, { zone: timezone }).toISODate() ?? "";

/** A timeslot whose seats or status changed: enough to find every cached day it shows up in. */
export type SlotChange = { slotId?: string; serviceId: string; resourceId: string | null; startsAt: Date; endsAt: Date };

/** The change a booking on this slot makes; the slot's own resource wins over its service's. */
export const slotChange = (c: {
  service: { id: string; resourceId: string | null };
  slot: { id: string; resourceId: string | null; startsAt: Date; endsAt: Date };
}): SlotChange => ({
  slotId: c.slot.id,
  serviceId: c.service.id,
  resourceId: c.slot.resourceId ?? c.service.resourceId,
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
 * slot on the same resource that its buffers could make overlap (those may now be blocked or
 * free), whichever service owns it and even when it starts on another local date (a late slot
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
  const overlaps = changes
    .filter((c): c is SlotChange & { resourceId: string } => c.resourceId !== null)
    .map((c) =>
      and(
        eq(timeslots.resourceId, c.resourceId),
        lt(timeslots.startsAt, new Date(c.endsAt.getTime() + BUFFER_MARGIN_MS)),
        gt(timeslots.endsAt, new Date(c.startsAt.getTime() - BUFFER_MARGIN_MS)),
      ),
    );
  if (overlaps.length > 0) {
    const sharing = await db
      .selectDistinct({ serviceId: timeslots.serviceId, startsAt: timeslots.startsAt })
      .from(timeslots)
      .where(or(...overlaps));
    for (const s of sharing) keys.add(availabilityKey(s.serviceId, localDate(s.startsAt, timezone)));
  }
  await invalidateGenerations([...keys]);
}
