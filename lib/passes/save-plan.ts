import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { coupons, passPlans, services, type Coupon, type PassPlan } from "@/db/schema";
import { audit } from "@/lib/audit";
import { AppError, pgConstraint, pgErrorCode } from "@/lib/errors";
import type { CouponInput, PassPlanInput } from "@/lib/validations/passes";

/** Every listed service belongs to the business (a plan or coupon for another business's service is refused). */
async function requireServices(db: Db, businessId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = await db
    .select({ id: services.id })
    .from(services)
    .where(and(eq(services.businessId, businessId), inArray(services.id, ids)));
  if (found.length !== new Set(ids).size) throw new AppError("VALIDATION_FAILED", "unknownService");
}

/** Creates (no id) or updates a plan; cards already sold keep what they were sold with. */
export async function savePassPlan(
  input: PassPlanInput & { id?: string; businessId: string; actorId: string },
  db: Db = getDb(),
): Promise<PassPlan> {
  await requireServices(db, input.businessId, input.serviceIds);
  const values = {
    kind: input.kind,
    name: input.name,
    priceFen: input.priceFen,
    visits: input.kind === "visits" ? input.visits : null,
    bonusFen: input.kind === "value" ? input.bonusFen : 0,
    discountPercent: input.kind === "membership" ? input.discountPercent : null,
    serviceIds: input.serviceIds,
    validDays: input.validDays,
    active: input.active,
  };
  return db.transaction(async (tx) => {
    const [plan] = input.id
      ? await tx
          .update(passPlans)
          .set(values)
          .where(and(eq(passPlans.id, input.id), eq(passPlans.businessId, input.businessId)))
          .returning()
      : await tx
          .insert(passPlans)
          .values({ ...values, businessId: input.businessId })
          .returning();
    if (!plan) throw new AppError("NOT_FOUND", "passPlanNotFound");
    await audit(tx, {
      actorId: input.actorId,
      action: input.id ? "pass_plan.updated" : "pass_plan.created",
      entityType: "pass_plan",
      entityId: plan.id,
      data: values,
    });
    return plan;
  });
}

/** Creates (no id) or updates a coupon; its use count stays as the bookings made it. */
export async function saveCoupon(
  input: CouponInput & { id?: string; businessId: string; actorId: string },
  db: Db = getDb(),
): Promise<Coupon> {
  await requireServices(db, input.businessId, input.serviceIds);
  const values = {
    code: input.code,
    kind: input.kind,
    amountFen: input.kind === "fixed" ? input.amountFen : null,
    percent: input.kind === "percent" ? input.percent : null,
    serviceIds: input.serviceIds,
    maxUses: input.maxUses,
    maxUsesPerCustomer: input.maxUsesPerCustomer,
    expiresAt: input.expiresAt,
    active: input.active,
  };
  try {
    return await db.transaction(async (tx) => {
      const [coupon] = input.id
        ? await tx
            .update(coupons)
            .set(values)
            .where(and(eq(coupons.id, input.id), eq(coupons.businessId, input.businessId)))
            .returning()
        : await tx
            .insert(coupons)
            .values({ ...values, businessId: input.businessId })
            .returning();
      if (!coupon) throw new AppError("NOT_FOUND", "couponNotFound");
      await audit(tx, {
        actorId: input.actorId,
        action: input.id ? "coupon.updated" : "coupon.created",
        entityType: "coupon",
        entityId: coupon.id,
        data: { ...values, expiresAt: values.expiresAt?.toISOString() ?? null },
      });
      return coupon;
    });
  } catch (e) {
    if (pgErrorCode(e) === "23505" && pgConstraint(e) === "coupons_business_code_key") throw new AppError("CONFLICT", "couponCodeTaken");
    // A limit below the uses already made.
    if (pgErrorCode(e) === "23514" && pgConstraint(e) === "coupons_uses_check")
      throw new AppError("VALIDATION_FAILED", "couponLimitBelowUsed");
    throw e;
  }
}
