import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { services, type Service } from "@/db/schema";
import { audit } from "@/lib/audit";
import { resolvePolicy } from "@/lib/booking/policy";
import { editWithReconcile } from "@/lib/booking/reconcile-slots";
import { currentBusiness } from "@/lib/business/queries";
import { AppError } from "@/lib/errors";
import type { UpdateServiceInput } from "@/lib/validations/service";
import { requireResourceOf } from "./create-service";
import { invalidateCatalog } from "./catalog-cache";

const changedKeys = (before: Service, after: Service) =>
  (Object.keys(after) as (keyof Service)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));

/**
 * Changes the given fields of a service: the one path of PATCH /api/v1/staff/services/{id} and the
 * dashboard's service editor. The row is locked while the deposit is checked against the price it
 * will have, since either may be left out of the change; the service's future slots are reconciled
 * with the result in the same transaction (lib/booking/reconcile-slots).
 */
export async function updateService(
  id: string,
  input: UpdateServiceInput,
  actorId: string,
  db: Db = getDb(),
  now = new Date(),
): Promise<Service> {
  const business = await currentBusiness(db);
  if (input.rules) resolvePolicy(business.policy, input.rules);
  if (input.resourceId) await requireResourceOf(db, business.id, input.resourceId);
  // Capacity, duration, buffers and resource reach the future slots in the same transaction.
  const { value } = await editWithReconcile(db, id, now, async (tx) => {
    const where = and(eq(services.id, id), eq(services.businessId, business.id));
    const [before] = await tx.select().from(services).where(where).for("update").limit(1);
    if (!before) throw new AppError("NOT_FOUND", "serviceNotFound");
    if ((input.depositFen ?? before.depositFen) > (input.priceFen ?? before.priceFen)) {
      const message = "depositOverPrice";
      throw new AppError("VALIDATION_FAILED", message, { fieldErrors: { depositFen: [message] } });
    }
    if (Object.keys(input).length === 0) return before;
    const [after] = await tx.update(services).set(input).where(where).returning();
    if (!after) throw new AppError("NOT_FOUND", "serviceNotFound");
    const changed = changedKeys(before, after);
    await audit(tx, { actorId, action: "service.updated", entityType: "service", entityId: after.id, data: { changed } });
    return after;
  });
  await invalidateCatalog();
  return value;
}
