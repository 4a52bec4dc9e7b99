import "server-only";
import { inArray } from "drizzle-orm";
import { DateTime } from "luxon";
import type { DbOrTx } from "@/db/client";
import { services } from "@/db/schema";
import { invalidate } from "@/lib/cache";

/** One cache entry per service and local date: what availability reads and what changes invalidate. */
export const availabilityKey = (serviceId: string, date: string) => `avail:v1:${serviceId}:${date}`;

export const localDate = (at: Date, timezone: string) => DateTime.fromJSDate(at, { zone: timezone }).toISODate() ?? "";

/**
 * Drops the cached days a change touched: the slot's own service and every service that shares
 * its resource (their slots may now be blocked or free). Called after the transaction commits.
 */
export async function invalidateAvailability(
  db: DbOrTx,
  changes: { serviceId: string; resourceId: string | null; startsAt: Date }[],
  timezone: string,
): Promise<void> {
  if (changes.length === 0) return;
  const resourceIds = [...new Set(changes.map((c) => c.resourceId).filter((r): r is string => r !== null))];
  const sharing = resourceIds.length
    ? await db.select({ id: services.id }).from(services).where(inArray(services.resourceId, resourceIds))
    : [];
  const keys = new Set<string>();
  for (const c of changes) {
    const date = localDate(c.startsAt, timezone);
    keys.add(availabilityKey(c.serviceId, date));
    for (const s of sharing) keys.add(availabilityKey(s.id, date));
  }
  await invalidate(...keys);
}
