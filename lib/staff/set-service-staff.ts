import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { resources, serviceStaff, services } from "@/db/schema";
import { audit } from "@/lib/audit";
import { invalidateStaffDays } from "@/lib/booking/availability-cache";
import { invalidateCatalog } from "@/lib/cache/catalog";
import { editWithReconcile, countsOf, type ReconcileCounts } from "@/lib/booking/reconcile-slots";
import { currentBusiness } from "@/lib/business/queries";
import { AppError } from "@/lib/errors";
import type { ServiceStaffInput } from "@/lib/validations/service";

/**
 * Replaces who offers a service and its "any available" policy: the one path of PUT
 * /api/v1/staff/services/{id}/staff and the dashboard's staff editor. The future slots' capacity
 * follows the number of staff in the same transaction (reconcile; never below what is booked),
 * and every cached day of the service goes after the commit (who is free changed).
 */
export async function setServiceStaff(
  serviceId: string,
  input: ServiceStaffInput,
  actorId: string,
  db: Db = getDb(),
  now = new Date(),
): Promise<{ staff: { resourceId: string; weight: number }[]; reconciled: ReconcileCounts }> {
  const business = await currentBusiness(db);
  const ids = input.staff.map((s) => s.resourceId);
  if (ids.length > 0) {
    const found = await db
      .select({ id: resources.id })
      .from(resources)
      .where(and(inArray(resources.id, ids), eq(resources.businessId, business.id), eq(resources.kind, "staff")));
    if (found.length !== ids.length) {
      const message = "staffNotFound";
      throw new AppError("VALIDATION_FAILED", message, { fieldErrors: { staff: [message] } });
    }
  }
  const { reconciled } = await editWithReconcile(db, serviceId, now, async (tx) => {
    const [service] = await tx
      .update(services)
      .set({ staffPolicy: input.policy })
      .where(and(eq(services.id, serviceId), eq(services.businessId, business.id)))
      .returning({ id: services.id });
    if (!service) throw new AppError("NOT_FOUND", "serviceNotFound");
    await tx.delete(serviceStaff).where(eq(serviceStaff.serviceId, serviceId));
    if (input.staff.length > 0) {
      await tx.insert(serviceStaff).values(input.staff.map((s) => ({ serviceId, resourceId: s.resourceId, weight: s.weight })));
    }
    await audit(tx, {
      actorId,
      action: "service.staff_set",
      entityType: "service",
      entityId: serviceId,
      data: { policy: input.policy, staff: input.staff },
    });
  });
  await invalidateStaffDays(db, { serviceIds: [serviceId], timezone: business.timezone, from: now });
  await invalidateCatalog();
  return { staff: input.staff, reconciled: countsOf(reconciled) };
}
