import "server-only";
import type { Tx } from "@/db/client";
import { passes, passTransactions, type Pass, type PassPlan } from "@/db/schema";
import { AppError } from "@/lib/errors";

/**
 * Issues the card a paid sale bought, copying the plan (later edits of the plan leave it alone):
 * visits granted, price + bonus credited, the discount; valid `validDays` from now. Writes the
 * "sale" movement, in the caller's transaction.
 */
export async function issuePass(
  tx: Tx,
  input: { plan: PassPlan; customerId: string; pricePaidFen: number; actorId: string | null; now: Date; reason?: string },
): Promise<Pass> {
  const { plan } = input;
  const grantedFen = plan.kind === "value" ? plan.priceFen + plan.bonusFen : null;
  const [pass] = await tx
    .insert(passes)
    .values({
      businessId: plan.businessId,
      planId: plan.id,
      customerId: input.customerId,
      kind: plan.kind,
      name: plan.name,
      serviceIds: plan.serviceIds,
      remainingUses: plan.kind === "visits" ? plan.visits : null,
      balanceFen: grantedFen,
      discountPercent: plan.kind === "membership" ? plan.discountPercent : null,
      pricePaidFen: input.pricePaidFen,
      grantedUses: plan.kind === "visits" ? plan.visits : null,
      grantedFen,
      expiresAt: plan.validDays ? new Date(input.now.getTime() + plan.validDays * 86_400_000) : null,
    })
    .returning();
  if (!pass) throw new AppError("INTERNAL", "Pass was not created");
  await tx.insert(passTransactions).values({
    passId: pass.id,
    kind: "sale",
    usesDelta: pass.grantedUses ?? 0,
    valueDeltaFen: grantedFen ?? 0,
    reason: input.reason ?? null,
    actorId: input.actorId,
  });
  return pass;
}
