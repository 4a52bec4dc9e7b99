import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { resources, users, type Resource } from "@/db/schema";
import { audit } from "@/lib/audit";
import { invalidateStaffDays } from "@/lib/booking/availability-cache";
import { invalidateCatalog } from "@/lib/cache/catalog";
import { currentBusiness } from "@/lib/business/queries";
import { AppError } from "@/lib/errors";
import type { ResourceInput } from "@/lib/validations/service";

/**
 * Creates a staff member or room, or replaces one (with `id`): the one path of POST and PUT
 * /api/v1/staff/resources and the dashboard's resource rows. A linked account must be staff or
 * admin: a customer account would see the staff member's bookings as theirs.
 */
export async function saveResource(input: ResourceInput & { id?: string }, actorId: string, db: Db = getDb()): Promise<Resource> {
  const business = await currentBusiness(db);
  const values = {
    kind: input.kind,
    name: input.name,
    userId: input.userId,
    active: input.active,
    ...(input.title !== undefined && { title: input.title }),
    ...(input.photoUrl !== undefined && { photoUrl: input.photoUrl }),
  };
  const saved = await db.transaction(async (tx) => {
    if (values.userId) {
      const [account] = await tx.select({ role: users.role }).from(users).where(eq(users.id, values.userId)).limit(1);
      if (!account || account.role === "customer") {
        const message = "linkedAccountStaff";
        throw new AppError("VALIDATION_FAILED", message, { fieldErrors: { userId: [message] } });
      }
    }
    const [row] = input.id
      ? await tx
          .update(resources)
          .set(values)
          .where(and(eq(resources.id, input.id), eq(resources.businessId, business.id)))
          .returning()
      : await tx
          .insert(resources)
          .values({ ...values, businessId: business.id })
          .returning();
    if (!row) throw new AppError("NOT_FOUND", "resourceNotFound");
    await audit(tx, {
      actorId,
      action: input.id ? "resource.updated" : "resource.created",
      entityType: "resource",
      entityId: row.id,
      data: { name: row.name, active: row.active, userId: row.userId },
    });
    return row;
  });
  // The service list shows staff names, titles and photos.
  await invalidateCatalog();
  // A staff member taken off (or back) changes who is free for every service they offer.
  if (input.id) await invalidateStaffDays(db, { resourceId: saved.id, timezone: business.timezone, from: new Date() });
  return saved;
}
