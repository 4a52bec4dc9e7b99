import type { BookingStatus } from "@/db/schema";

/** What the ledger says about one booking's money, summed over its payments and refunds. */
export type MoneyFacts = {
  status: BookingStatus;
  priceFen: number;
  amountDueFen: number;
  /** Payments that went through (paid, partly or wholly refunded since). */
  paidFen: number;
  /** Refunds the gateway confirmed. */
  refundedFen: number;
  /** Refunds asked for and not settled yet (pending, or abnormal until staff act). */
  refundingFen: number;
  /** What a card paid of the price (a visits card: all of it; a stored-value card: what it took). */
  cardFen?: number;
};

/** The price and what the ledger says of it, with the balance still due (what the desk collects). */
export type Balance = {
  priceFen: number;
  paidFen: number;
  refundedFen: number;
  refundingFen: number;
  cardFen: number;
  balanceFen: number;
};

/** Bookings whose balance is still owed: on hold, confirmed, or served and not settled yet. */
const owing = ["pending_payment", "confirmed", "completed"] as const satisfies BookingStatus[];

/**
 * Balance due = price − card − paid + refunded (+ refunds on their way back): money that came back
 * is no longer paid. Nothing is owed once the booking was cancelled, expired or a no-show.
 */
export function balanceOf(f: MoneyFacts): Balance {
  const cardFen = Math.min(f.cardFen ?? 0, f.priceFen);
  const open = (owing as readonly BookingStatus[]).includes(f.status);
  const balanceFen = open ? Math.max(0, f.priceFen - cardFen - f.paidFen + f.refundedFen + f.refundingFen) : 0;
  return { priceFen: f.priceFen, paidFen: f.paidFen, refundedFen: f.refundedFen, refundingFen: f.refundingFen, cardFen, balanceFen };
}

/**
 * One word for where a booking's money stands, shown to the customer and to staff alike:
 * free · due (待付, on hold) · atDesk (nothing online, pay the whole price at the venue) ·
 * depositPaid (已付定金, the rest at the venue) · paid · refunding (退款中) · refunded (已退款) ·
 * unpaid (cancelled or expired before any money moved).
 */
export type MoneyStatus =
  | { kind: "free" }
  | { kind: "due"; amountFen: number }
  | { kind: "atDesk"; amountFen: number }
  | { kind: "depositPaid"; amountFen: number; restFen: number }
  | { kind: "paid"; amountFen: number }
  | { kind: "refunding"; amountFen: number }
  | { kind: "refunded"; amountFen: number }
  | { kind: "unpaid" };

const settled = ["cancelled", "expired"] as const satisfies BookingStatus[];

/** A refund in flight outranks a settled one, which outranks what was paid: the latest fact about the money. */
export function moneyStatus(f: MoneyFacts): MoneyStatus {
  if (f.priceFen === 0) return { kind: "free" };
  if (f.refundingFen > 0) return { kind: "refunding", amountFen: f.refundingFen };
  if (f.refundedFen > 0) return { kind: "refunded", amountFen: f.refundedFen };
  const ended = (settled as readonly BookingStatus[]).includes(f.status);
  if (f.paidFen > 0) {
    if (f.paidFen >= f.priceFen) return { kind: "paid", amountFen: f.paidFen };
    return ended ? { kind: "paid", amountFen: f.paidFen } : { kind: "depositPaid", amountFen: f.paidFen, restFen: f.priceFen - f.paidFen };
  }
  if (ended) return { kind: "unpaid" };
  if (f.status === "pending_payment") return { kind: "due", amountFen: f.amountDueFen };
  return { kind: "atDesk", amountFen: f.priceFen };
}

/** Whether a cancellation can give anything back: only money that moved is quoted. */
export const hasRefundable = (s: MoneyStatus): boolean => s.kind === "paid" || s.kind === "depositPaid";
