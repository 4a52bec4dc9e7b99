import { describe, expect, it } from "vitest";
import { hasRefundable, moneyStatus, type MoneyFacts } from "./money-status";

const facts = (f: Partial<MoneyFacts>): MoneyFacts => ({
  status: "confirmed",
  priceFen: 20000,
  amountDueFen: 5000,
  paidFen: 0,
  refundedFen: 0,
  refundingFen: 0,
  ...f,
});

describe("moneyStatus", () => {
  it("a free booking is free whatever its state, and quotes no refund", () => {
    for (const status of ["confirmed", "cancelled", "completed"] as const) {
      const s = moneyStatus(facts({ status, priceFen: 0, amountDueFen: 0 }));
      expect(s).toEqual({ kind: "free" });
      expect(hasRefundable(s)).toBe(false);
    }
  });

  it("a hold owes its amount due (待付)", () => {
    expect(moneyStatus(facts({ status: "pending_payment" }))).toEqual({ kind: "due", amountFen: 5000 });
  });

  it("a paid deposit leaves the rest for the desk; a full payment is paid", () => {
    const deposit = moneyStatus(facts({ paidFen: 5000 }));
    expect(deposit).toEqual({ kind: "depositPaid", amountFen: 5000, restFen: 15000 });
    expect(hasRefundable(deposit)).toBe(true);
    expect(moneyStatus(facts({ paidFen: 20000, amountDueFen: 20000 }))).toEqual({ kind: "paid", amountFen: 20000 });
    expect(moneyStatus(facts({ status: "completed", paidFen: 20000 }))).toEqual({ kind: "paid", amountFen: 20000 });
  });

  it("a refund in flight shows 退款中, a settled one 已退款 with its amount, never the amount due", () => {
    expect(moneyStatus(facts({ status: "cancelled", paidFen: 5000, refundingFen: 2500 }))).toEqual({ kind: "refunding", amountFen: 2500 });
    expect(moneyStatus(facts({ status: "cancelled", paidFen: 5000, refundedFen: 5000 }))).toEqual({ kind: "refunded", amountFen: 5000 });
    // A second refund still processing outranks the first one already settled.
    expect(moneyStatus(facts({ paidFen: 20000, refundedFen: 1000, refundingFen: 500 }))).toEqual({ kind: "refunding", amountFen: 500 });
  });

  it("a cancelled booking kept its money when the policy gave nothing back: paid, no rest to pay", () => {
    expect(moneyStatus(facts({ status: "cancelled", paidFen: 5000 }))).toEqual({ kind: "paid", amountFen: 5000 });
  });

  it("nothing moved: an expired or cancelled hold is unpaid, a booking without online payment pays at the desk", () => {
    expect(moneyStatus(facts({ status: "expired" }))).toEqual({ kind: "unpaid" });
    expect(moneyStatus(facts({ status: "cancelled" }))).toEqual({ kind: "unpaid" });
    expect(moneyStatus(facts({ amountDueFen: 0 }))).toEqual({ kind: "atDesk", amountFen: 20000 });
    expect(hasRefundable(moneyStatus(facts({ status: "pending_payment" })))).toBe(false);
  });
});
