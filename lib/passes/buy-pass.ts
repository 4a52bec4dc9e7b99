import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { passPlans, passSales, type PassSale } from "@/db/schema";
import { audit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import type { ApiProvider } from "@/lib/payments/gateways";
import { recordPaid, refundUnplaced, type ApplyPaid } from "@/lib/payments/apply-paid";
import { startPaymentOrder, type PaymentDto } from "@/lib/payments/start-payment";
import type { CreateOrderResult, PayChannel } from "@/lib/payments/types";
import { issuePass } from "./issue-pass";

/** How long a card order's gateway order stays payable. */
const ORDER_MINUTES = 30;

export type BuyPassInput = {
  planId: string;
  customerId: string;
  provider: ApiProvider;
  channel?: PayChannel;
  clientIp?: string;
  openid?: string;
  now?: Date;
};

/**
 * A card bought online: a pending sale (the order) and a gateway order for its price, through the
 * same payments code as a booking (startPaymentOrder). The card is issued when the gateway says
 * paid (applyPassPaid). A free plan is not sold online: staff grant it at the desk.
 */
export async function buyPass(input: BuyPassInput, db: Db = getDb()): Promise<{ sale: PassSale; payment: PaymentDto } & CreateOrderResult> {
  const now = input.now ?? new Date();
  const [plan] = await db
    .select()
    .from(passPlans)
    .where(and(eq(passPlans.id, input.planId), eq(passPlans.active, true)));
  if (!plan || plan.priceFen <= 0) throw new AppError("NOT_FOUND", "passPlanNotFound");
  const [sale] = await db
    .insert(passSales)
    .values({ businessId: plan.businessId, planId: plan.id, customerId: input.customerId, channel: "online", amountFen: plan.priceFen })
    .returning();
  if (!sale) throw new AppError("INTERNAL", "Sale was not recorded");
  const order = await startPaymentOrder(db, {
    passSaleId: sale.id,
    amountFen: plan.priceFen,
    subject: plan.name,
    returnPath: `/me/passes/buy/${plan.id}?returned=1`,
    expiresAt: new Date(now.getTime() + ORDER_MINUTES * 60_000),
    actorId: input.customerId,
    provider: input.provider,
    channel: input.channel,
    clientIp: input.clientIp,
    openid: input.openid,
  });
  return { sale, ...order };
}

/**
 * The pass side of the payments port (lib/payments/apply-paid.ts ApplyPaid), in one transaction:
 * the ledger records the gateway event once (a redelivery stops there), the sale moves
 * pending → paid and the card is issued with its "sale" movement and audit row. A second payment of
 * an order already paid (two attempts both paid) buys nothing and is refunded automatically.
 */
export const applyPassPaid: ApplyPaid = async (db, payment, fact, actorLabel) => {
  const saleId = payment.passSaleId;
  if (!saleId) throw new Error(`payment ${payment.id} is not a pass sale's`);
  return db.transaction(async (tx) => {
    const paid = await recordPaid(tx, payment, fact, actorLabel);
    if (paid === "duplicate" || paid === "already_paid") return paid;
    const now = new Date();
    const [sale] = await tx
      .update(passSales)
      .set({ status: "paid", paidAt: now, method: payment.provider })
      .where(and(eq(passSales.id, saleId), eq(passSales.status, "pending")))
      .returning();
    if (!sale) {
      await refundUnplaced(tx, payment, fact.amountFen, "card order already paid or cancelled", actorLabel);
      return "refunding";
    }
    const [plan] = await tx.select().from(passPlans).where(eq(passPlans.id, sale.planId));
    if (!plan) throw new AppError("NOT_FOUND", "passPlanNotFound");
    const pass = await issuePass(tx, { plan, customerId: sale.customerId, pricePaidFen: sale.amountFen, actorId: null, now });
    await tx.update(passSales).set({ passId: pass.id }).where(eq(passSales.id, sale.id));
    await audit(tx, {
      actorLabel,
      action: "pass.sold",
      entityType: "pass",
      entityId: pass.id,
      data: {
        saleId: sale.id,
        planId: plan.id,
        customerId: sale.customerId,
        channel: "online",
        method: payment.provider,
        amountFen: sale.amountFen,
      },
    });
    return "confirmed";
  });
};

/** The customer's own card order (the return page), or NOT_FOUND. */
export async function loadOwnSale(db: Db, saleId: string, customerId: string): Promise<PassSale> {
  const [sale] = await db
    .select()
    .from(passSales)
    .where(and(eq(passSales.id, saleId), eq(passSales.customerId, customerId)));
  if (!sale) throw new AppError("NOT_FOUND", "passSaleNotFound");
  return sale;
}
