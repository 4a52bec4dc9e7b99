import "server-only";
import { and, asc, eq, gte, inArray, isNull, lt, or } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { bookings, resources, timeslots } from "@/db/schema";
import { bookingRowsQuery, slotResourceId, type BookingRow } from "@/lib/booking/staff-queries";

/** The staff members (resources) a user signs in as: their schedule is these people's bookings. */
export async function staffIdsOf(db: DbOrTx, userId: string): Promise<string[]> {
  const rows = await db
    .select({ id: resources.id })
    .from(resources)
    .where(and(eq(resources.userId, userId), eq(resources.kind, "staff")));
  return rows.map((r) => r.id);
}

/**
 * The live bookings (held, confirmed, completed, no-show) starting in [from, to), soonest first, of
 * the given staff members (assigned to them, or taking them whole as a slot's resource), or of
 * everyone (`"all"`, for admins). "My schedule" on the dashboard reads it for the signed-in staff
 * member only.
 */
export async function staffSchedule(db: DbOrTx, input: { staffIds: string[] | "all"; from: Date; to: Date }): Promise<BookingRow[]> {
  if (input.staffIds !== "all" && input.staffIds.length === 0) return [];
  const mine =
    input.staffIds === "all"
      ? undefined
      : or(inArray(bookings.staffId, input.staffIds), and(isNull(bookings.staffId), inArray(slotResourceId, input.staffIds)));
  return bookingRowsQuery(db)
    .where(
      and(
        mine,
        gte(timeslots.startsAt, input.from),
        lt(timeslots.startsAt, input.to),
        inArray(bookings.status, ["pending_payment", "confirmed", "completed", "no_show"]),
      ),
    )
    .orderBy(asc(timeslots.startsAt))
    .limit(500);
}
