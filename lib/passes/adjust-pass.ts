import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { passes, passSales, passTransactions, payments, type Pass } from "@/db/schema";
import { audit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { requestRefund } from "@/lib/payments/refunds";

/**
 * Staff grant (positive) or take back (negative) uses or stored fen, with a reason, audited. One
 * conditional update: a take-back larger than what the card holds is refused, never below zero.
 */
export async function adjustPass(
  input: { passId: string; usesDelta: number; valueDeltaFen: number; reason: string; actorId: string },
  db: Db = getDb(),
): Promise<Pass> {
  const [pass] = await db.select().from(passes).where(eq(passes.id, input.passId));
  if (!pass) throw new AppError("NOT_FOUND", "passNotFound");
  if (pass.status !== "active") throw new AppError("INVALID_STATE", "passInactive");
  if (input.usesDelta !== 0 && pass.kind !== "visits") throw new AppError("VALIDATION_FAILED", "passAdjustWrongKind");
  if (input.valueDeltaFen !== 0 && pass.kind !== "value") throw new AppError("VALIDATION_FAILED", "passAdjustWrongKind");
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(passes)
      .set({
        remainingUses: input.usesDelta !== 0 ? sql`${passes.remainingUses} + ${input.usesDelta}` : undefined,
        balanceFen: input.valueDeltaFen !== 0 ? sql`${passes.balanceFen} + ${input.valueDeltaFen}` : undefined,
      })
      .where(
        and(
          eq(passes.id, pass.id),
          eq(passes.status, "active"),
          input.usesDelta !== 0 ? sql`${passes.remainingUses} + ${input.usesDelta} >= 0` : undefined,
          input.valueDeltaFen !== 0 ? sql`${passes.balanceFen} + ${input.valueDeltaFen} >= 0` : undefined,
        ),
      )
      .returning();
    if (!updated) throw new AppError("VALIDATION_FAILED", "passAdjustBelowZero");
    const kind = input.usesDelta > 0 || input.valueDeltaFen > 0 ? "grant" : "adjust";
    await tx.insert(passTransactions).values({
      passId: pass.id,
      kind,
      usesDelta: input.usesDelta,
      valueDeltaFen: input.valueDeltaFen,
      reason: input.reason,
      actorId: input.actorId,
    });
    await audit(tx, {
      actorId: input.actorId,
      action: `pass.${kind}`,
      entityType: "pass",
      entityId: pass.id,
      reason: input.reason,
      data: { usesDelta: input.usesDelta, valueDeltaFen: input.valueDeltaFen },
    });
    return updated;
  });
}

/**
 * The refund rule for a card given back (stated to staff on the card's page):
 * - visits: the price paid × unused visits ÷ visits bought (pro rata; used visits are kept);
 * - stored value: the price paid minus what was spent from the card, never below ¥0 (the unspent
 *   bonus is forfeited): max(0, price paid − (credited − balance));
 * - membership: the price paid × unexpired time ÷ the whole period.
 * Rounded down to the fen.
 */
export function passRefundFen(pass: Pass, now = new Date()): number {
  const paid = pass.pricePaidFen;
  if (pass.status !== "active" || paid <= 0) return 0;
  if (pass.kind === "visits") {
    const bought = pass.grantedUses ?? 0;
    return bought > 0 ? Math.floor((paid * Math.min(pass.remainingUses ?? 0, bought)) / bought) : 0;
  }
  if (pass.kind === "value") {
    const spent = (pass.grantedFen ?? 0) - (pass.balanceFen ?? 0);
    return Math.max(0, Math.min(paid, paid - spent));
  }
  if (!pass.expiresAt) return 0;
  const whole = pass.expiresAt.getTime() - pass.createdAt.getTime();
  const left = pass.expiresAt.getTime() - now.getTime();
  return whole > 0 && left > 0 ? Math.floor((paid * left) / whole) : 0;
}

/**
 * Refunds a card by the rule above: the card is closed (uses and balance to 0) and the amount
 * recorded on its sale with how it went back (cash, card, other, or "original": a card bought
 * online is refunded through the gateway it was paid with, by the refunds pipeline, in this
 * transaction), audited.
 */
export async function refundPass(
  input: { passId: string; method: "cash" | "card" | "other" | "original"; reason: string; actorId: string; now?: Date },
  db: Db = getDb(),
): Promise<{ pass: Pass; refundFen: number }> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const [pass] = await tx.select().from(passes).where(eq(passes.id, input.passId)).for("update");
    if (!pass) throw new AppError("NOT_FOUND", "passNotFound");
    if (pass.status !== "active") throw new AppError("INVALID_STATE", "passInactive");
    const refundFen = passRefundFen(pass, now);
    const [closed] = await tx
      .update(passes)
      .set({ status: "refunded", remainingUses: pass.remainingUses === null ? null : 0, balanceFen: pass.balanceFen === null ? null : 0 })
      .where(and(eq(passes.id, pass.id), eq(passes.status, "active")))
      .returning();
    if (!closed) throw new AppError("INVALID_STATE", "passInactive");
    await tx.insert(passTransactions).values({
      passId: pass.id,
      kind: "refund",
      usesDelta: -(pass.remainingUses ?? 0),
      valueDeltaFen: -(pass.balanceFen ?? 0),
      reason: `${input.reason} (${input.method}, ${refundFen} fen)`,
      actorId: input.actorId,
    });
    const [sale] = await tx
      .update(passSales)
      .set({ refundedFen: sql`least(${passSales.amountFen}, ${passSales.refundedFen} + ${refundFen})`, status: "refunded" })
      .where(eq(passSales.passId, pass.id))
      .returning();
    if (input.method === "original" && sale?.channel === "online" && refundFen > 0) {
      const [paid] = await tx
        .select({ id: payments.id })
        .from(payments)
        .where(and(eq(payments.passSaleId, sale.id), eq(payments.status, "paid")));
      if (paid)
        await requestRefund(tx, {
          paymentId: paid.id,
          amountFen: refundFen,
          reason: `card refunded: ${input.reason}`,
          actorId: input.actorId,
        });
    }
    await audit(tx, {
      actorId: input.actorId,
      action: "pass.refunded",
      entityType: "pass",
      entityId: pass.id,
      reason: input.reason,
      data: { refundFen, method: input.method },
    });
    return { pass: closed, refundFen };
  });
}
