import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { passPlans, passSales, users, type Pass, type PassSale } from "@/db/schema";
import { audit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { issuePass } from "./issue-pass";

export type DeskSaleInput = {
  planId: string;
  customerId: string;
  method: "cash" | "card" | "other";
  note?: string;
  actorId: string;
  now?: Date;
};

/**
 * A card sold at the desk: the money was taken in person (cash, card terminal, other), so the sale
 * is paid at once and the card issued, with who sold it and how it was paid, in one transaction
 * with its audit row. The sale shows in the ledger (lib/passes/queries.ts: passSalesBetween).
 */
export async function sellPassAtDesk(input: DeskSaleInput, db: Db = getDb()): Promise<{ sale: PassSale; pass: Pass }> {
  const now = input.now ?? new Date();
  const [plan] = await db.select().from(passPlans).where(eq(passPlans.id, input.planId));
  if (!plan || !plan.active) throw new AppError("NOT_FOUND", "passPlanNotFound");
  const [customer] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, input.customerId), eq(users.role, "customer")));
  if (!customer) throw new AppError("NOT_FOUND", "customerNotFound");
  return db.transaction(async (tx) => {
    const pass = await issuePass(tx, { plan, customerId: customer.id, pricePaidFen: plan.priceFen, actorId: input.actorId, now });
    const [sale] = await tx
      .insert(passSales)
      .values({
        businessId: plan.businessId,
        planId: plan.id,
        customerId: customer.id,
        passId: pass.id,
        channel: "desk",
        method: input.method,
        amountFen: plan.priceFen,
        status: "paid",
        soldBy: input.actorId,
        note: input.note ?? null,
        paidAt: now,
      })
      .returning();
    if (!sale) throw new AppError("INTERNAL", "Sale was not recorded");
    await audit(tx, {
      actorId: input.actorId,
      action: "pass.sold",
      entityType: "pass",
      entityId: pass.id,
      reason: input.note ?? null,
      data: { saleId: sale.id, planId: plan.id, customerId: customer.id, channel: "desk", method: input.method, amountFen: plan.priceFen },
    });
    return { sale, pass };
  });
}
