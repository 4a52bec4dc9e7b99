import "server-only";
import { getDb, type Db } from "@/db/client";
import { resources, schedules, services, type Resource, type Service } from "@/db/schema";
import { audit } from "@/lib/audit";
import { resolvePolicy } from "@/lib/booking/policy";
import { currentBusiness } from "@/lib/business/queries";
import type { CreateServiceInput } from "@/lib/validations/service";

/** Creates a service (and its schedule when given) for the business; the policy overrides are validated first. */
export async function createService(input: CreateServiceInput, actorId: string, db: Db = getDb()): Promise<Service> {
  const business = await currentBusiness(db);
  resolvePolicy(business.policy, input.rules);
  return db.transaction(async (tx) => {
    const { schedule, ...fields } = input;
    const [service] = await tx.insert(services).values({ ...fields, businessId: business.id, resourceId: fields.resourceId ?? null }).returning();
    if (!service) throw new Error("service not created");
    if (schedule) await tx.insert(schedules).values({ serviceId: service.id, ...schedule });
    await audit(tx, { actorId, action: "service.created", entityType: "service", entityId: service.id, data: { name: service.name } });
    return service;
  });
}

export async function createResource(input: { kind: "staff" | "room"; name: string; userId?: string | null }, actorId: string, db: Db = getDb()): Promise<Resource> {
  const business = await currentBusiness(db);
  return db.transaction(async (tx) => {
    const [resource] = await tx.insert(resources).values({ ...input, userId: input.userId ?? null, businessId: business.id }).returning();
    if (!resource) throw new Error("resource not created");
    await audit(tx, { actorId, action: "resource.created", entityType: "resource", entityId: resource.id, data: { name: resource.name } });
    return resource;
  });
}
