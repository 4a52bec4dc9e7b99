import "server-only";
import { eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { schedules, services } from "@/db/schema";
import { audit } from "@/lib/audit";
import { editWithReconcile, type Reconciled } from "@/lib/booking/reconcile-slots";
import { AppError } from "@/lib/errors";
import type { ScheduleInput } from "@/lib/validations/service";

/**
 * Weekly hours, breaks and date overrides (a closed date is an override with no ranges) of one service,
 * and its future slots reconciled with them in the same transaction: the answer says what changed.
 */
export async function saveSchedule(
  serviceId: string,
  input: ScheduleInput,
  actorId: string,
  db: Db = getDb(),
  now = new Date(),
): Promise<Reconciled> {
  const [service] = await db.select({ id: services.id }).from(services).where(eq(services.id, serviceId)).limit(1);
  if (!service) throw new AppError("NOT_FOUND", "serviceNotFound");
  const { reconciled } = await editWithReconcile(db, serviceId, now, async (tx) => {
    await tx
      .insert(schedules)
      .values({ serviceId, ...input })
      .onConflictDoUpdate({ target: schedules.serviceId, set: input });
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
