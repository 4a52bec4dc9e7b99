import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { amountDue, DEFAULT_POLICY, deepMerge, policySchema, resolvePolicy } from "./policy";

describe("policySchema", () => {
  it("fills sensible defaults", () => {
    expect(policySchema.parse({})).toEqual({
      minNoticeMin: 60,
      maxAdvanceDays: 60,
      cancelDeadlineHours: 2,
      refundTiers: [
        { minHoursBefore: 24, percent: 100 },
        { minHoursBefore: 2, percent: 50 },
      ],
      businessCancelRefundPercent: 100,
      maxActiveBookingsPerCustomer: null,
      maxBookingsPerCustomerPerDay: null,
      payment: { mode: "deposit" },
      holdMinutes: 15,
      allowedGroups: [],
      waitlistOfferMinutes: 30,
      noShowAfterMinutes: null,
      noShowForfeitDeposit: true,
      noShowWindowDays: 90,
      noShowRefuseAfter: null,
      noShowPrepayAfter: null,
    });
    expect(DEFAULT_POLICY.holdMinutes).toBe(15);
  });

  it("rejects unknown keys, bad values and ambiguous deposits", () => {
    expect(policySchema.safeParse({ minNotice: 30 }).success).toBe(false);
    expect(policySchema.safeParse({ refundTiers: [{ minHoursBefore: 24, percent: 120 }] }).success).toBe(false);
    expect(
      policySchema.safeParse({
        refundTiers: [
          { minHoursBefore: 2, percent: 50 },
          { minHoursBefore: 2, percent: 10 },
        ],
      }).success,
    ).toBe(false);
    expect(policySchema.safeParse({ payment: { mode: "deposit", depositPercent: 30, depositFen: 1000 } }).success).toBe(false);
    expect(policySchema.safeParse({ holdMinutes: 0 }).success).toBe(false);
  });
});

describe("resolvePolicy", () => {
  const business = {
    minNoticeMin: 120,
    maxActiveBookingsPerCustomer: 3,
    payment: { mode: "deposit", depositPercent: 30 },
    allowedGroups: ["member"],
  };

  it("deep-merges service overrides over the business policy over the defaults", () => {
    const p = resolvePolicy(business, { minNoticeMin: 0, payment: { mode: "full" }, allowedGroups: [] });
    expect(p.minNoticeMin).toBe(0);
    expect(p.maxActiveBookingsPerCustomer).toBe(3);
    expect(p.payment).toEqual({ mode: "full", depositPercent: 30 });
    expect(p.allowedGroups).toEqual([]); // arrays replace
    expect(p.holdMinutes).toBe(15);
  });

  it("lets null in an override lift a business limit", () => {
    expect(resolvePolicy(business, { maxActiveBookingsPerCustomer: null }).maxActiveBookingsPerCustomer).toBeNull();
  });

  it("lets a service deposit setting replace the business one", () => {
    expect(resolvePolicy(business, { payment: { depositFen: 5000 } }).payment).toEqual({ mode: "deposit", depositFen: 5000 });
  });

  it("treats missing config as defaults", () => {
    expect(resolvePolicy(undefined, null)).toEqual(DEFAULT_POLICY);
  });

  it("names the source and field of a bad config", () => {
    expect(() => resolvePolicy({ holdMinutes: "15" })).toThrow(/Invalid business policy: holdMinutes/);
    expect(() => resolvePolicy({}, { refundTiers: [{ minHoursBefore: -1, percent: 50 }] })).toThrow(
      /Invalid service policy override: refundTiers\.0\.minHoursBefore/,
    );
    try {
      resolvePolicy({ payment: { mode: "cash" } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe("VALIDATION_FAILED");
      expect((e as AppError).message).toMatch(/payment\.mode/);
    }
  });

  it("deepMerge keeps the base where the override is undefined", () => {
    expect(deepMerge({ a: 1, b: { c: 2, d: 3 } }, { a: undefined, b: { d: 4 } })).toEqual({ a: 1, b: { c: 2, d: 4 } });
  });
});

describe("amountDue", () => {
  const policy = (payment: object) => resolvePolicy({ payment });

  it("charges the total in full mode", () => {
    expect(amountDue({ priceFen: 8801, depositFen: 2000, seats: 3, policy: policy({ mode: "full" }) })).toBe(26403);
  });

  it("is 0 for a free service", () => {
    expect(amountDue({ priceFen: 0, depositFen: 0, seats: 2, policy: DEFAULT_POLICY })).toBe(0);
  });

  it("prefers the service deposit, then the policy's fixed deposit, per seat", () => {
    expect(amountDue({ priceFen: 10000, depositFen: 2000, seats: 2, policy: policy({ depositFen: 3000 }) })).toBe(4000);
    expect(amountDue({ priceFen: 10000, depositFen: 0, seats: 2, policy: policy({ depositFen: 3000 }) })).toBe(6000);
  });

  it("rounds a percentage deposit once, on the total", () => {
    // 30% of 3 × 8,801 = 7,920.9 → 7,921 (per-seat rounding would give 3 × 2,640 = 7,920).
    expect(amountDue({ priceFen: 8801, depositFen: 0, seats: 3, policy: policy({ depositPercent: 30 }) })).toBe(7921);
    // 50% of 8,801 = 4,400.5 → 4,401.
    expect(amountDue({ priceFen: 8801, depositFen: 0, seats: 1, policy: policy({ depositPercent: 50 }) })).toBe(4401);
  });

  it("falls back to the total without a deposit and never exceeds it", () => {
    expect(amountDue({ priceFen: 8801, depositFen: 0, seats: 1, policy: DEFAULT_POLICY })).toBe(8801);
    expect(amountDue({ priceFen: 1000, depositFen: 0, seats: 1, policy: policy({ depositFen: 5000 }) })).toBe(1000);
  });

  it("rejects non-integer money and seats", () => {
    expect(() => amountDue({ priceFen: 10.5, depositFen: 0, seats: 1, policy: DEFAULT_POLICY })).toThrow(/priceFen/);
    expect(() => amountDue({ priceFen: 100, depositFen: 0, seats: 0, policy: DEFAULT_POLICY })).toThrow(/seats/);
  });
});
