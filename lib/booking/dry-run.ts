import "server-only";
import { eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { users } from "@/db/schema";
import { bookingFacts, loadSlotContext } from "@/lib/booking/context";
import { describeIssues, policySchema, resolvePolicy, type Policy } from "@/lib/booking/policy";
import { deriveFacts, evaluateRules, type Violation } from "@/lib/booking/rules";
import type { Locale } from "@/lib/i18n/config";
import { zodErrorMap } from "@/lib/i18n/zod-errors";
import { AppError, isAppError } from "@/lib/errors";

export type DryRunResult = { allowed: boolean; violations: Violation[]; facts: Record<string, unknown> };

/**
 * "Would this customer be allowed to book this slot now, and why not": the same facts, policy and
 * custom rules the booking core evaluates, without booking anything. `customRules` and
 * `businessPolicy` let the editors try their changes before saving them; by default the saved ones
 * apply. A draft policy that is invalid, or that no longer fits the service's overrides, is refused
 * with the reason in the reader's language.
 */
export async function dryRunRules(
  input: { customerId: string; timeslotId: string; locale: Locale; customRules?: unknown; businessPolicy?: unknown; now?: Date },
  db: Db = getDb(),
): Promise<DryRunResult> {
  const now = input.now ?? new Date();
  const [customer] = await db.select().from(users).where(eq(users.id, input.customerId)).limit(1);
  if (!customer) throw new AppError("NOT_FOUND", "customerNotFound");
  const ctx = await loadSlotContext(db, input.timeslotId);
  const facts = await bookingFacts(db, ctx, customer, 1, now);
  const policy = input.businessPolicy === undefined ? ctx.policy : draftPolicy(input.businessPolicy, ctx.service, input.locale);
  const violations = await evaluateRules(facts, policy, input.customRules ?? ctx.business.customRules, input.locale);
  const derived = deriveFacts(facts);
  const shown = Object.fromEntries(Object.entries(derived).filter(([k]) => k.includes(".") || k === "seats" || k === "leadHours"));
  return { allowed: violations.length === 0, violations, facts: shown };
}

function draftPolicy(draft: unknown, service: { name: string; rules: unknown }, locale: Locale): Policy {
  const parsed = policySchema.safeParse(draft, { error: zodErrorMap(locale) });
  if (!parsed.success) {
    throw new AppError("VALIDATION_FAILED", "draftPolicyInvalid", parsed.error.issues, { issues: describeIssues(parsed.error) });
  }
  try {
    return resolvePolicy(draft, service.rules);
  } catch (e) {
    if (!isAppError(e)) throw e;
    throw new AppError("VALIDATION_FAILED", "rulesConflictService", undefined, { name: service.name, error: e.message });
  }
}
