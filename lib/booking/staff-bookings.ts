import { and, eq, inArray, isNull, or, type SQL } from "drizzle-orm";
import { resources, services, timeslots } from "@/db/schema";
import type { DbOrTx } from "@/db/client";

/**
 * Which bookings are staff member X's: those of a slot (or, for a slot without its own, a service)
 * whose resource is linked to X's account (resources.user_id). The one place that says so, for the
 * staff calendar feed; the caller joins timeslots and services. When staff are assigned per
 * booking, this is where the assignment is read instead.
 */
export function staffBookingsOf(db: DbOrTx, userId: string): SQL {
  const mine = db.select({ id: resources.id }).from(resources).where(eq(resources.userId, userId));
  return or(inArray(timeslots.resourceId, mine), and(isNull(timeslots.resourceId), inArray(services.resourceId, mine)))!;
}
