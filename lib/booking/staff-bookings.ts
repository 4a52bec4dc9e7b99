import { eq, inArray, type SQL } from "drizzle-orm";
import { bookings, resources } from "@/db/schema";
import type { DbOrTx } from "@/db/client";

/**
 * Which bookings are staff member X's: those assigned to a staff resource linked to X's account
 * (bookings.staff_id → resources.user_id), as "my schedule" reads them. The one place the calendar
 * feed asks; the caller selects from bookings.
 */
export function staffBookingsOf(db: DbOrTx, userId: string): SQL {
  return inArray(bookings.staffId, db.select({ id: resources.id }).from(resources).where(eq(resources.userId, userId)));
}
