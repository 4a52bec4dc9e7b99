import { AppError } from "@/lib/errors";
import type { Policy, RefundTier } from "./policy";

const HOUR_MS = 3_600_000;

export type RefundInput = {
  /** What the customer actually paid for the booking, fen. */
  paidFen: number;
  startsAt: Date;
  now: Date;
  tiers: readonly RefundTier[];
};

export type RefundQuote = {
  percent: number;
  amountFen: number;
  /** The tier that applied; null when none did (refund 0). */
  tier: RefundTier | null;
};

/** Hours from `now` until `startsAt`; negative once the booking has started. */
export function hoursBefore(startsAt: Date, now: Date): number {
  return (startsAt.getTime() - now.getTime()) / HOUR_MS;
}

/**
 * The refund the policy gives when a booking is cancelled at `now`: the tier with the largest
 * minHoursBefore that is <= the hours left (inclusive, so exactly 24 h before hits a 24 h tier).
 * Tiers may come in any order. The amount is rounded once, half up, in integer fen.
 */
export function refundFor({ paidFen, startsAt, now, tiers }: RefundInput): RefundQuote {
  if (!Number.isSafeInteger(paidFen) || paidFen < 0) {
    throw new AppError("VALIDATION_FAILED", `paidFen must be a non-negative integer, got ${paidFen}`);
  }
  const left = hoursBefore(startsAt, now);
  let tier: RefundTier | null = null;
  for (const t of tiers) {
    if (left >= t.minHoursBefore && (tier === null || t.minHoursBefore > tier.minHoursBefore)) tier = t;
  }
  const percent = tier?.percent ?? 0;
  return { percent, amountFen: Math.min(paidFen, Math.round((paidFen * percent) / 100)), tier };
}

/** Last instant at which the customer may still cancel or reschedule. */
export function cancelDeadline(startsAt: Date, cancelDeadlineHours: number): Date {
  return new Date(startsAt.getTime() - cancelDeadlineHours * HOUR_MS);
}

export type CancelCheck = { startsAt: Date; now: Date; cancelDeadlineHours: number };

/** True while `now` is at or before the deadline (and the booking has not started). */
export function canCancel({ startsAt, now, cancelDeadlineHours }: CancelCheck): boolean {
  if (now.getTime() >= startsAt.getTime()) return false;
  return now.getTime() <= cancelDeadline(startsAt, cancelDeadlineHours).getTime();
}

export type CancellationQuote = {
  allowed: boolean;
  /** Last instant the customer may cancel or reschedule. */
  deadline: Date;
  /** What a cancellation at `now` would refund (all zero when not allowed). */
  refund: RefundQuote;
};

/**
 * What "my bookings" shows next to Cancel and what the cancel use case applies: whether the
 * customer may still cancel at `now` and the refund it would give under the resolved policy.
 */
export function cancellationQuote(input: {
  paidFen: number;
  startsAt: Date;
  now: Date;
  policy: Pick<Policy, "cancelDeadlineHours" | "refundTiers" | "businessCancelRefundPercent">;
  /** Who cancels: the customer (tiers, deadline) or the business (businessCancelRefundPercent, any time). */
  by?: "customer" | "business";
}): CancellationQuote {
  const { paidFen, startsAt, now, policy } = input;
  const allowed = canCancel({ startsAt, now, cancelDeadlineHours: policy.cancelDeadlineHours });
  const deadline = cancelDeadline(startsAt, policy.cancelDeadlineHours);
  if (input.by === "business") return { allowed, deadline, refund: businessRefund(paidFen, policy.businessCancelRefundPercent) };
  const refund = allowed ? refundFor({ paidFen, startsAt, now, tiers: policy.refundTiers }) : { percent: 0, amountFen: 0, tier: null };
  return { allowed, deadline, refund };
}

/** The refund of a cancellation by the business: its own percent of what was paid, rounded once, half up. */
export function businessRefund(paidFen: number, percent: number): RefundQuote {
  if (!Number.isSafeInteger(paidFen) || paidFen < 0) {
    throw new AppError("VALIDATION_FAILED", `paidFen must be a non-negative integer, got ${paidFen}`);
  }
  return { percent, amountFen: Math.min(paidFen, Math.round((paidFen * percent) / 100)), tier: null };
}
