import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb, type Db, type DbOrTx } from "@/db/client";
import { resources, schedules, services, type Service } from "@/db/schema";
import { audit } from "@/lib/audit";
import { resolvePolicy } from "@/lib/booking/policy";
import { currentBusiness } from "@/lib/business/queries";
import { AppError } from "@/lib/errors";
import type { CreateServiceInput } from "@/lib/validations/service";
import { invalidateCatalog } from "./catalog-cache";

/** A service may only use one of the business's own resources (a stray id is a 400, not a foreign-key 500). */
export async function requireResourceOf(db: DbOrTx, businessId: string, resourceId: string): Promise<void> {
  const [row] = await db
    .select({ id: resources.id })
    .from(resources)
    .where(and(eq(resources.id, resourceId), eq(resources.businessId, businessId)))
    .limit(1);
  const message = "noSuchResource";
  if (!row) throw new AppError("VALIDATION_FAILED", message, { fieldErrors: { resourceId: [message] } });
}

/**
 * Creates a service (and its schedule when given): the one path of POST /api/v1/staff/services and
 * the dashboard's new-service form. The policy overrides are validated first, so a service can never
 * be saved with rules the booking core would reject.
 */
export async function createService(input: CreateServiceInput, actorId: string, db: Db = getDb()): Promise<Service> {
  const business = await currentBusiness(db);
  resolvePolicy(business.policy, input.rules);
  if (input.resourceId) await requireResourceOf(db, business.id, input.resourceId);
  const created = await db.transaction(async (tx) => {
    const { schedule, ...fields } = input;
    const [service] = await tx
      .insert(services)
      .values({ ...fields, businessId: business.id, resourceId: fields.resourceId ?? null })
      .returning();
    if (!service) throw new Error("service not created");
    if (schedule) await tx.insert(schedules).values({ serviceId: service.id, ...schedule });
    await audit(tx, { actorId, action: "service.created", entityType: "service", entityId: service.id, data: { name: service.name } });
    return service;
  });
  await invalidateCatalog();
  return created;
}
