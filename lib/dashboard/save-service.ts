import "server-only";
import { eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { schedules, services, type Service } from "@/db/schema";
import { audit } from "@/lib/audit";
import { resolvePolicy } from "@/lib/booking/policy";
import { editWithReconcile, type Reconciled } from "@/lib/booking/reconcile-slots";
import { currentBusiness } from "@/lib/business/queries";
import { AppError } from "@/lib/errors";
import { createService } from "@/lib/services/create-service";
import type { ServiceFormInput } from "@/lib/validations/dashboard";
import type { ScheduleInput } from "@/lib/validations/service";

const changed = (before: Service, after: Service) =>
  (Object.keys(after) as (keyof Service)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));

/**
 * Creates a service from the dashboard form, or updates one. The rule overrides are checked against the
 * business policy first, so a service can never be saved with a policy the booking core would reject.
 */
export async function saveService(input: ServiceFormInput & { id?: string }, actorId: string, db: Db = getDb()): Promise<Service> {
  const business = await currentBusiness(db);
  resolvePolicy(business.policy, input.rules);
  const { id, ...values } = input;
  if (!id) {
    const created = await createService({ ...values, nameEn: values.nameEn }, actorId, db);
    if (!values.active) return updateFields(db, created, { active: false }, actorId);
    return created;
  }
  const [before] = await db.select().from(services).where(eq(services.id, id)).limit(1);
  if (!before) throw new AppError("NOT_FOUND", "服务不存在 / Service not found");
  return updateFields(db, before, { ...values, nameEn: values.nameEn ?? null }, actorId);
}

/** Capacity, duration, buffers and resource reach the future slots in the same transaction (lib/booking/reconcile-slots). */
async function updateFields(db: Db, before: Service, values: Partial<Service>, actorId: string, now = new Date()): Promise<Service> {
  const { value } = await editWithReconcile(db, before.id, now, async (tx) => {
    const [after] = await tx.update(services).set(values).where(eq(services.id, before.id)).returning();
    if (!after) throw new AppError("NOT_FOUND", "服务不存在 / Service not found");
    await audit(tx, { actorId, action: "service.updated", entityType: "service", entityId: after.id, data: { changed: changed(before, after) } });
    return after;
  });
  return value;
}

/**
 * Weekly hours, breaks and date overrides (a closed date is an override with no ranges) of one service,
 * and its future slots reconciled with them in the same transaction: the answer says what changed.
 */
export async function saveSchedule(serviceId: string, input: ScheduleInput, actorId: string, db: Db = getDb(), now = new Date()): Promise<Reconciled> {
  const [service] = await db.select({ id: services.id }).from(services).where(eq(services.id, serviceId)).limit(1);
  if (!service) throw new AppError("NOT_FOUND", "服务不存在 / Service not found");
  const { reconciled } = await editWithReconcile(db, serviceId, now, async (tx) => {
    await tx
      .insert(schedules)
      .values({ serviceId, ...input })
      .onConflictDoUpdate({ target: schedules.serviceId, set: { ...input, updatedAt: new Date() } });
    await audit(tx, {
      actorId,
      action: "schedule.saved",
      entityType: "service",
      entityId: serviceId,
      data: { days: Object.keys(input.weeklyHours), overrides: Object.keys(input.dateOverrides), slotIntervalMin: input.slotIntervalMin },
    });
  });
  return reconciled;
}
