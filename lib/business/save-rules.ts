import "server-only";
import { eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { businesses, services } from "@/db/schema";
import { audit } from "@/lib/audit";
import { describeIssues, policySchema, resolvePolicy } from "@/lib/booking/policy";
import { parseCustomRules, type CustomRule } from "@/lib/booking/rules";
import { currentBusiness } from "@/lib/business/queries";
import { AppError } from "@/lib/errors";
import { invalidateCatalog } from "@/lib/services/catalog-cache";

/**
 * Replaces the business policy. It is validated on its own (strict: an unknown key is an error) and
 * merged with every service's overrides, so no service is left with a policy the booking core rejects.
 */
export async function saveBusinessPolicy(policy: unknown, actorId: string, db: Db = getDb()): Promise<void> {
  const parsed = policySchema.safeParse(policy);
  if (!parsed.success) throw new AppError("VALIDATION_FAILED", `Invalid policy: ${describeIssues(parsed.error)}`, parsed.error.issues);
  const business = await currentBusiness(db);
  const overrides = await db
    .select({ name: services.name, rules: services.rules })
    .from(services)
    .where(eq(services.businessId, business.id));
  for (const s of overrides) {
    try {
      resolvePolicy(policy, s.rules);
    } catch (e) {
      throw new AppError("VALIDATION_FAILED", "rulesConflictService", undefined, { name: s.name, error: (e as Error).message });
    }
  }
  await db.transaction(async (tx) => {
    await tx
      .update(businesses)
      .set({ policy: policy as Record<string, unknown> })
      .where(eq(businesses.id, business.id));
    await audit(tx, {
      actorId,
      action: "policy.updated",
      entityType: "business",
      entityId: business.id,
      data: { before: business.policy, after: policy as Record<string, unknown> },
    });
  });
  await invalidateCatalog();
}

/** Replaces the custom rules of the rules engine after validating every rule (ids unique, facts and operators known). */
export async function saveCustomRules(rules: unknown, actorId: string, db: Db = getDb()): Promise<CustomRule[]> {
  const parsed = parseCustomRules(rules);
  const business = await currentBusiness(db);
  await db.transaction(async (tx) => {
    await tx.update(businesses).set({ customRules: parsed }).where(eq(businesses.id, business.id));
    await audit(tx, {
      actorId,
      action: "custom_rules.updated",
      entityType: "business",
      entityId: business.id,
      data: { ids: parsed.map((r) => r.id), count: parsed.length },
    });
  });
  await invalidateCatalog();
  return parsed;
}
