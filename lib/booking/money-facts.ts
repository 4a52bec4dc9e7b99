import "server-only";
import { and, eq, inArray, notInArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { bookings, passTransactions, payments, refunds } from "@/db/schema";
import { balanceOf, moneyStatus, type Balance, type MoneyFacts, type MoneyStatus } from "./money-status";

type LedgerSums = Pick<MoneyFacts, "paidFen" | "refundedFen" | "refundingFen"> & { cardFen: number; cardCoversAll: boolean };
const none: LedgerSums = { paidFen: 0, refundedFen: 0, refundingFen: 0, cardFen: 0, cardCoversAll: false };

/**
 * The ledger sums of many bookings in four grouped queries (a list page asks once, not per row). A
 * series week counts its share of the series' one payment (what the week owed, once that payment went
 * through and the week was confirmed by it); its refunds name the week, so they count as any booking's.
 */
export async function ledgerSums(db: DbOrTx, bookingIds: string[]): Promise<Map<string, LedgerSums>> {
  const out = new Map<string, LedgerSums>();
  if (bookingIds.length === 0) return out;
  const [paid, refunded, cards, seriesShares] = await Promise.all([
    db
      .select({
        bookingId: payments.bookingId,
        paidFen: sql<number>`coalesce(sum(${payments.amountFen}) filter (where ${payments.status} in ('paid', 'partially_refunded', 'refunded')), 0)::int`,
      })
      .from(payments)
      .where(inArray(payments.bookingId, bookingIds))
      .groupBy(payments.bookingId),
    db
      .select({
        bookingId: refunds.bookingId,
        refundedFen: sql<number>`coalesce(sum(${refunds.amountFen}) filter (where ${refunds.status} = 'succeeded'), 0)::int`,
        refundingFen: sql<number>`coalesce(sum(${refunds.amountFen}) filter (where ${refunds.status} in ('pending', 'abnormal')), 0)::int`,
      })
      .from(refunds)
      .where(inArray(refunds.bookingId, bookingIds))
      .groupBy(refunds.bookingId),
    // A card's use of the booking (one at most): visits cover the price, stored value what it took.
    db
      .select({ bookingId: passTransactions.bookingId, uses: passTransactions.usesDelta, valueFen: passTransactions.valueDeltaFen })
      .from(passTransactions)
      .where(and(inArray(passTransactions.bookingId, bookingIds), eq(passTransactions.kind, "use"))),
    db
      .selectDistinct({ bookingId: bookings.id, dueFen: bookings.amountDueFen })
      .from(bookings)
      .innerJoin(payments, eq(payments.seriesId, bookings.seriesId))
      .where(
        and(
          inArray(bookings.id, bookingIds),
          notInArray(bookings.status, ["pending_payment", "expired"]),
          inArray(payments.status, ["paid", "partially_refunded", "refunded"]),
        ),
      ),
  ]);
  const at = (id: string) => out.get(id) ?? { ...none };
  // Rows without a booking (a card sale's payment) never match: the filter names bookings only.
  for (const p of paid) if (p.bookingId) out.set(p.bookingId, { ...at(p.bookingId), paidFen: Number(p.paidFen) });
  for (const r of refunded)
    if (r.bookingId) out.set(r.bookingId, { ...at(r.bookingId), refundedFen: Number(r.refundedFen), refundingFen: Number(r.refundingFen) });
  for (const w of seriesShares) {
    const sums = at(w.bookingId);
    out.set(w.bookingId, { ...sums, paidFen: sums.paidFen + w.dueFen });
  }
  for (const c of cards)
    if (c.bookingId) out.set(c.bookingId, { ...at(c.bookingId), cardFen: Math.max(0, -c.valueFen), cardCoversAll: c.uses < 0 });
  return out;
}

type Priced = Pick<MoneyFacts, "status" | "priceFen" | "amountDueFen"> & { id: string };

/** Each booking with its money status and balance (the rows keep their order). */
export async function withMoneyStatus<T extends Priced>(db: DbOrTx, rows: T[]): Promise<(T & { money: MoneyStatus; balance: Balance })[]> {
  const sums = await ledgerSums(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => {
    const s = sums.get(r.id) ?? none;
    const facts = { ...r, ...s, cardFen: s.cardCoversAll ? r.priceFen : s.cardFen };
    return { ...r, money: moneyStatus(facts), balance: balanceOf(facts) };
  });
}

/** One booking's balance, read in the caller's transaction (the desk reads it under the booking's lock). */
export async function bookingBalance(db: DbOrTx, booking: Priced): Promise<Balance> {
  const [row] = await withMoneyStatus(db, [booking]);
  return row!.balance;
}
