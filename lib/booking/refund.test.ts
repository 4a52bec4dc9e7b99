import { describe, expect, it } from "vitest";
import { DEFAULT_REFUND_TIERS, resolvePolicy } from "./policy";
import { canCancel, cancelDeadline, cancellationQuote, refundFor } from "./refund";

// Booking starts Sat 2026-03-07 10:00 Shanghai (02:00Z).
const startsAt = new Date("2026-03-07T02:00:00Z");
const at = (iso: string) => new Date(iso);
const tiers = DEFAULT_REFUND_TIERS; // ≥24 h 100%, ≥2 h 50%, else 0

describe("refundFor", () => {
  it("gives 100% at exactly 24 h before (inclusive boundary)", () => {
    // Fri 2026-03-06 10:00 Shanghai.
    const r = refundFor({ paidFen: 8801, startsAt, now: at("2026-03-06T02:00:00Z"), tiers });
    expect(r).toEqual({ percent: 100, amountFen: 8801, tier: { minHoursBefore: 24, percent: 100 } });
  });

  it("drops to 50% one millisecond under 24 h, rounding 50% of 8,801 fen once", () => {
    // Fri 2026-03-06 10:00:00.001 Shanghai.
    const r = refundFor({ paidFen: 8801, startsAt, now: at("2026-03-06T02:00:00.001Z"), tiers });
    expect(r.percent).toBe(50);
    expect(r.amountFen).toBe(4401); // 4,400.5 → 4,401
    expect(Number.isInteger(r.amountFen)).toBe(true);
  });

  it("gives 50% at exactly 2 h and 0 just under", () => {
    // Sat 08:00 Shanghai, then 08:00:01.
    expect(refundFor({ paidFen: 8801, startsAt, now: at("2026-03-07T00:00:00Z"), tiers }).amountFen).toBe(4401);
    const late = refundFor({ paidFen: 8801, startsAt, now: at("2026-03-07T00:00:01Z"), tiers });
    expect(late).toEqual({ percent: 0, amountFen: 0, tier: null });
  });

  it("gives nothing after the start and accepts tiers in any order", () => {
    expect(refundFor({ paidFen: 5000, startsAt, now: at("2026-03-07T03:00:00Z"), tiers }).amountFen).toBe(0);
    const shuffled = [
      { minHoursBefore: 2, percent: 50 },
      { minHoursBefore: 48, percent: 100 },
      { minHoursBefore: 24, percent: 80 },
    ];
    // Thu 2026-03-05 10:00 Shanghai = 48 h before.
    expect(refundFor({ paidFen: 5000, startsAt, now: at("2026-03-05T02:00:00Z"), tiers: shuffled }).percent).toBe(100);
    // Fri 2026-03-06 09:00 Shanghai = 25 h before.
    expect(refundFor({ paidFen: 3333, startsAt, now: at("2026-03-06T01:00:00Z"), tiers: shuffled })).toMatchObject({
      percent: 80,
      amountFen: 2666,
    });
  });

  it("refunds nothing when nothing was paid and rejects fractional fen", () => {
    expect(refundFor({ paidFen: 0, startsAt, now: at("2026-03-01T00:00:00Z"), tiers }).amountFen).toBe(0);
    expect(() => refundFor({ paidFen: 10.5, startsAt, now: at("2026-03-01T00:00:00Z"), tiers })).toThrow(/paidFen/);
  });
});

describe("canCancel", () => {
  it("allows cancelling until the deadline, inclusive", () => {
    // Deadline 2 h before: Sat 08:00 Shanghai.
    expect(cancelDeadline(startsAt, 2)).toEqual(at("2026-03-07T00:00:00Z"));
    expect(canCancel({ startsAt, now: at("2026-03-07T00:00:00Z"), cancelDeadlineHours: 2 })).toBe(true);
    expect(canCancel({ startsAt, now: at("2026-03-07T00:00:00.001Z"), cancelDeadlineHours: 2 })).toBe(false);
  });

  it("never allows cancelling a started booking, even with no deadline", () => {
    expect(canCancel({ startsAt, now: at("2026-03-07T01:59:59Z"), cancelDeadlineHours: 0 })).toBe(true);
    expect(canCancel({ startsAt, now: startsAt, cancelDeadlineHours: 0 })).toBe(false);
  });
});

describe("cancellationQuote", () => {
  const policy = resolvePolicy({ cancelDeadlineHours: 12 });

  it("quotes the refund while cancelling is allowed", () => {
    // Fri 2026-03-06 20:00 Shanghai: 14 h before, past the 24 h tier.
    const q = cancellationQuote({ paidFen: 8801, startsAt, now: at("2026-03-06T12:00:00Z"), policy });
    expect(q).toMatchObject({ allowed: true, deadline: at("2026-03-06T14:00:00Z"), refund: { percent: 50, amountFen: 4401 } });
  });

  it("quotes nothing past the deadline", () => {
    // Fri 2026-03-06 23:00 Shanghai: 11 h before, deadline was 22:00.
    const q = cancellationQuote({ paidFen: 8801, startsAt, now: at("2026-03-06T15:00:00Z"), policy });
    expect(q).toEqual({ allowed: false, deadline: at("2026-03-06T14:00:00Z"), refund: { percent: 0, amountFen: 0, tier: null } });
  });

  it("quotes the business's own percent when the business cancels, at any time", () => {
    const late = at("2026-03-06T15:00:00Z");
    expect(cancellationQuote({ paidFen: 8801, startsAt, now: late, policy, by: "business" }).refund).toEqual({
      percent: 100,
      amountFen: 8801,
      tier: null,
    });
    const partial = resolvePolicy({ cancelDeadlineHours: 12, businessCancelRefundPercent: 30 });
    expect(cancellationQuote({ paidFen: 8801, startsAt, now: late, policy: partial, by: "business" }).refund).toEqual({
      percent: 30,
      amountFen: 2640,
      tier: null,
    });
    expect(() => resolvePolicy({ businessCancelRefundPercent: 101 })).toThrow(/businessCancelRefundPercent/);
  });
});
