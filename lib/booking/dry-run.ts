import "server-only";
import { eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { users } from "@/db/schema";
import { bookingFacts, loadSlotContext } from "@/lib/booking/context";
import { deriveFacts, evaluateRules, type Violation } from "@/lib/booking/rules";
import type { Locale } from "@/lib/i18n/config";
import { AppError } from "@/lib/errors";

export type DryRunResult = { allowed: boolean; violations: Violation[]; facts: Record<string, unknown> };

/**
 * "Would this customer be allowed to book this slot now, and why not": the same facts, policy and
 * custom rules the booking core evaluates, without booking anything. `customRules` lets the editor
 * try rules before saving them; by default the saved ones apply.
 */
export async function dryRunRules(
  input: { customerId: string; timeslotId: string; locale: Locale; customRules?: unknown; now?: Date },
  db: Db = getDb(),
): Promise<DryRunResult> {
  const now = input.now ?? new Date();
  const [customer] = await db.select().from(users).where(eq(users.id, input.customerId)).limit(1);
  if (!customer) throw new AppError("NOT_FOUND", "customerNotFound");
  const ctx = await loadSlotContext(db, input.timeslotId);
  const facts = await bookingFacts(db, ctx, customer, 1, now);
  const violations = await evaluateRules(facts, ctx.policy, input.customRules ?? ctx.business.customRules, input.locale);
  const derived = deriveFacts(facts);
  const shown = Object.fromEntries(Object.entries(derived).filter(([k]) => k.includes(".") || k === "seats" || k === "leadHours"));
  return { allowed: violations.length === 0, violations, facts: shown };
}
