import "server-only";
import { inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { payments, refunds } from "@/db/schema";
import { moneyStatus, type MoneyFacts, type MoneyStatus } from "./money-status";

type LedgerSums = Pick<MoneyFacts, "paidFen" | "refundedFen" | "refundingFen">;
const none: LedgerSums = { paidFen: 0, refundedFen: 0, refundingFen: 0 };

/** The ledger sums of many bookings in two grouped queries (a list page asks once, not per row). */
export async function ledgerSums(db: DbOrTx, bookingIds: string[]): Promise<Map<string, LedgerSums>> {
  const out = new Map<string, LedgerSums>();
  if (bookingIds.length === 0) return out;
  const [paid, refunded] = await Promise.all([
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
  ]);
  const at = (id: string) => out.get(id) ?? { ...none };
  // Rows without a booking (a card sale's payment) never match: the filter names bookings only.
  for (const p of paid) if (p.bookingId) out.set(p.bookingId, { ...at(p.bookingId), paidFen: Number(p.paidFen) });
  for (const r of refunded)
    if (r.bookingId) out.set(r.bookingId, { ...at(r.bookingId), refundedFen: Number(r.refundedFen), refundingFen: Number(r.refundingFen) });
  return out;
}

type Priced = Pick<MoneyFacts, "status" | "priceFen" | "amountDueFen"> & { id: string };

/** Each booking with its money status (the rows keep their order). */
export async function withMoneyStatus<T extends Priced>(db: DbOrTx, rows: T[]): Promise<(T & { money: MoneyStatus })[]> {
  const sums = await ledgerSums(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...r, money: moneyStatus({ ...r, ...(sums.get(r.id) ?? none) }) }));
}
