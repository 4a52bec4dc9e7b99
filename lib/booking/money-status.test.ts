import { describe, expect, it } from "vitest";
import { balanceOf, hasRefundable, moneyStatus, type MoneyFacts } from "./money-status";

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

describe("balanceOf", () => {
  it("price − card − paid + refunded: the deposit leaves the rest, a desk payment and a refund move it", () => {
    expect(balanceOf(facts({ paidFen: 5000 })).balanceFen).toBe(15000);
    expect(balanceOf(facts({ paidFen: 20000 })).balanceFen).toBe(0);
    // A goodwill refund of 30 on a booking paid in full: 30 is due again.
    expect(balanceOf(facts({ paidFen: 20000, refundedFen: 2000, refundingFen: 1000 })).balanceFen).toBe(3000);
    // A stored-value card paid 150 of it.
    expect(balanceOf(facts({ cardFen: 15000 })).balanceFen).toBe(5000);
    // Overpaid never owes a negative amount.
    expect(balanceOf(facts({ paidFen: 25000 })).balanceFen).toBe(0);
  });

  it("on hold, confirmed or completed owes; cancelled, expired or a no-show owes nothing", () => {
    for (const status of ["pending_payment", "confirmed", "completed"] as const)
      expect(balanceOf(facts({ status })).balanceFen).toBe(20000);
    for (const status of ["cancelled", "expired", "no_show"] as const) expect(balanceOf(facts({ status })).balanceFen).toBe(0);
  });
});
