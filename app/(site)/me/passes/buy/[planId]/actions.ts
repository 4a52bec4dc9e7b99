"use server";

import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { passSales } from "@/db/schema";
import { parseInput, runAction, type ActionResult } from "@/lib/actions";
import { reconcilePassSalePayments } from "@/lib/booking/payments";
import { buyPass } from "@/lib/passes/buy-pass";
import { consumeLimits, paymentAttemptLimits } from "@/lib/rate-limit";
import { payAttemptChannel, payState } from "@/lib/site/pay-attempt";
import { payBookingSchema } from "@/lib/validations/payment";
import type { PayState } from "@/components/payments/pay-panel";

/** Starts a card order and its gateway order, paid where the booking pages pay (lib/site/pay-attempt.ts). */
export async function startBuyAction(planId: string, input: { provider: string; mobile: boolean }): Promise<PayState> {
  return runAction({ auth: "user" }, async (user) => {
    const provider = parseInput(payBookingSchema.shape.provider, input?.provider);
    const id = parseInput(z.uuid(), planId);
    const attempt = await payAttemptChannel(user.id, provider, input?.mobile);
    await consumeLimits(paymentAttemptLimits(`plan:${id}:${user.id}`));
    return payState(await buyPass({ planId: id, customerId: user.id, provider, ...attempt }));
  });
}

/** The page's poll: the customer's newest order of this plan, reconciled with the gateway; "confirmed" once the card is issued. */
export async function pollBuyAction(planId: string): Promise<ActionResult & { status?: string }> {
  return runAction<ActionResult & { status?: string }, "user">({ auth: "user" }, async (user) => {
    const db = getDb();
    const id = parseInput(z.uuid(), planId);
    const [sale] = await db
      .select()
      .from(passSales)
      .where(and(eq(passSales.planId, id), eq(passSales.customerId, user.id)))
      .orderBy(desc(passSales.createdAt))
      .limit(1);
    if (!sale) return { ok: true, status: "pending_payment" };
    if (sale.status === "pending") await reconcilePassSalePayments(db, sale.id);
    const [now] = await db.select({ status: passSales.status }).from(passSales).where(eq(passSales.id, sale.id));
    return { ok: true, status: now?.status === "paid" ? "confirmed" : "pending_payment" };
  });
}
