import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { resources, type Resource } from "@/db/schema";
import { audit } from "@/lib/audit";
import { invalidateStaffDays } from "@/lib/booking/availability-cache";
import { currentBusiness } from "@/lib/business/queries";
import { AppError } from "@/lib/errors";
import type { StaffHoursInput } from "@/lib/validations/service";

/**
 * Replaces a staff member's weekly hours, breaks and days off (date overrides). Bookings already
 * assigned stay; new ones are assigned only inside the new hours, and their services' cached days
 * go after the commit.
 */
export async function saveStaffHours(
  resourceId: string,
  input: StaffHoursInput,
  actorId: string,
  db: Db = getDb(),
  now = new Date(),
): Promise<Resource> {
  const business = await currentBusiness(db);
  const row = await db.transaction(async (tx) => {
    const [updated] = await tx
      .update(resources)
      .set({ weeklyHours: input.weeklyHours, breaks: input.breaks, dateOverrides: input.dateOverrides })
      .where(and(eq(resources.id, resourceId), eq(resources.businessId, business.id), eq(resources.kind, "staff")))
      .returning();
    if (!updated) throw new AppError("NOT_FOUND", "staffNotFound");
    await audit(tx, { actorId, action: "staff.hours_saved", entityType: "resource", entityId: resourceId, data: input });
    return updated;
  });
  await invalidateStaffDays(db, { resourceId, timezone: business.timezone, from: now });
  return row;
}
