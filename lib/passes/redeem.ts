import "server-only";
import { and, eq, gt, isNull, or, sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "@/db/client";
import { couponRedemptions, coupons, passes, passTransactions, type Coupon, type Pass } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { normalizeCouponCode } from "@/lib/validations/passes";

/**
 * How a pass and a coupon change what a booking costs (the rule stated to customers and staff):
 * - visits card (次卡): one use per seat, the booking is paid (¥0 due); a coupon has nothing left to discount.
 * - stored value (储值卡): the whole price (after a coupon) is taken from the balance and the booking is paid;
 *   a balance short of it refuses the booking (no split with an online payment).
 * - membership (会员卡): its percent off the price and off the amount due now; 100% = free bookings.
 * - coupon (优惠券): off the amount due now (fixed fen, or a percent), never below ¥0; the booking's total
 *   drops by the same amount.
 * The pass and the coupon are taken by conditional updates in the booking's transaction (redeem), so a
 * burst can never overdraw a card nor use a coupon more than its limit; both come back when the
 * booking is cancelled or its hold expires (giveBack).
 */
export type ChargeInput = {
  businessId: string;
  serviceId: string;
  customerId: string;
  seats: number;
  /** Total, fen (price × seats). */
  priceFen: number;
  /** What the policy asks to pay now (deposit or full price), fen. */
  dueFen: number;
  passId?: string | null;
  couponCode?: string | null;
  now: Date;
};

export type Charge = {
  priceFen: number;
  amountDueFen: number;
  pass: { pass: Pass; uses: number; valueFen: number; discountFen: number } | null;
  coupon: { coupon: Coupon; discountFen: number } | null;
};

const refuse = (rule: string, key: string, params?: Record<string, string | number>) =>
  new AppError("RULE_VIOLATION", key, { violations: [{ rule }] }, params);

const coversService = (serviceIds: string[], serviceId: string) => serviceIds.length === 0 || serviceIds.includes(serviceId);
const yuan = (fen: number) => (fen / 100).toFixed(2);

/** The pass's reason to refuse this booking now, checked on a read; redeem's conditional update is the guard. */
function passRefusal(pass: Pass, input: ChargeInput): AppError | null {
  if (pass.status !== "active") return refuse("pass_inactive", "passInactive");
  if (pass.expiresAt && pass.expiresAt <= input.now) return refuse("pass_expired", "passExpired");
  if (!coversService(pass.serviceIds, input.serviceId)) return refuse("pass_not_for_service", "passNotForService");
  if (pass.kind === "visits" && (pass.remainingUses ?? 0) < input.seats) {
    return refuse("pass_used_up", "passUsedUp", { remaining: pass.remainingUses ?? 0, seats: input.seats });
  }
  return null;
}

/** Prices a booking with the pass and coupon asked for, or refuses with the reason. Reads only. */
export async function priceWithPass(db: DbOrTx, input: ChargeInput): Promise<Charge> {
  let priceFen = input.priceFen;
  let dueFen = input.dueFen;
  let passPart: Charge["pass"] = null;
  if (input.passId) {
    const [pass] = await db
      .select()
      .from(passes)
      .where(and(eq(passes.id, input.passId), eq(passes.customerId, input.customerId), eq(passes.businessId, input.businessId)));
    if (!pass) throw new AppError("NOT_FOUND", "passNotFound");
    const refusal = passRefusal(pass, input);
    if (refusal) throw refusal;
    if (pass.kind === "visits") {
      passPart = { pass, uses: input.seats, valueFen: 0, discountFen: 0 };
      dueFen = 0;
    } else if (pass.kind === "membership") {
      const pct = pass.discountPercent ?? 0;
      const offPrice = Math.round((priceFen * pct) / 100);
      priceFen -= offPrice;
      dueFen = Math.min(priceFen, dueFen - Math.round((dueFen * pct) / 100));
      passPart = { pass, uses: 0, valueFen: 0, discountFen: offPrice };
    } else {
      // Stored value pays the whole price (set below, after any coupon).
      passPart = { pass, uses: 0, valueFen: 0, discountFen: 0 };
      dueFen = priceFen;
    }
  }
  let couponPart: Charge["coupon"] = null;
  if (input.couponCode) {
    const code = normalizeCouponCode(input.couponCode);
    const [coupon] = await db
      .select()
      .from(coupons)
      .where(and(eq(coupons.businessId, input.businessId), eq(coupons.code, code)));
    if (!coupon || !coupon.active) throw refuse("coupon_invalid", "couponInvalid");
    if (coupon.expiresAt && coupon.expiresAt <= input.now) throw refuse("coupon_expired", "couponExpired");
    if (!coversService(coupon.serviceIds, input.serviceId)) throw refuse("coupon_not_for_service", "couponNotForService");
    if (coupon.maxUses !== null && coupon.usedCount >= coupon.maxUses) throw refuse("coupon_used_up", "couponUsedUp");
    if (dueFen === 0) throw refuse("coupon_nothing_to_discount", "couponNothingToDiscount");
    const off = coupon.kind === "fixed" ? Math.min(coupon.amountFen ?? 0, dueFen) : Math.round((dueFen * (coupon.percent ?? 0)) / 100);
    dueFen -= off;
    priceFen -= off;
    couponPart = { coupon, discountFen: off };
  }
  if (passPart?.pass.kind === "value") {
    const balance = passPart.pass.balanceFen ?? 0;
    if (balance < dueFen) throw refuse("pass_balance_low", "passBalanceLow", { balance: yuan(balance), due: yuan(dueFen) });
    passPart.valueFen = dueFen;
    dueFen = 0;
  }
  return { priceFen, amountDueFen: dueFen, pass: passPart, coupon: couponPart };
}

/**
 * Takes the pass's uses or balance and one use of the coupon for `bookingId`, in the booking's
 * transaction, each by one conditional update (remaining >= n, used_count < max_uses): under a burst
 * the losers find nothing to update and are refused, the CHECKs (>= 0, <= max_uses) being the last
 * guard. Run after admitBooking, whose lock on the customer's row serialises the per-customer coupon count.
 */
export async function redeem(tx: Tx, charge: Charge, input: ChargeInput & { bookingId: string; actorId: string }): Promise<void> {
  if (charge.pass) {
    const { pass, uses, valueFen, discountFen } = charge.pass;
    const live = and(
      eq(passes.id, pass.id),
      eq(passes.status, "active"),
      or(isNull(passes.expiresAt), gt(passes.expiresAt, input.now)),
      uses > 0 ? sql`${passes.remainingUses} >= ${uses}` : undefined,
      valueFen > 0 ? sql`${passes.balanceFen} >= ${valueFen}` : undefined,
    );
    const [taken] = await tx
      .update(passes)
      .set({
        // A membership moves nothing but is still checked live (active, unexpired) in the same statement.
        updatedAt: input.now,
        remainingUses: uses > 0 ? sql`${passes.remainingUses} - ${uses}` : undefined,
        balanceFen: valueFen > 0 ? sql`${passes.balanceFen} - ${valueFen}` : undefined,
      })
      .where(live)
      .returning({ id: passes.id });
    if (!taken) {
      const [now] = await tx.select().from(passes).where(eq(passes.id, pass.id));
      if (now?.kind === "value") {
        throw refuse("pass_balance_low", "passBalanceLow", { balance: yuan(now.balanceFen ?? 0), due: yuan(valueFen) });
      }
      throw (now && passRefusal(now, input)) ?? refuse("pass_used_up", "passUsedUp", { remaining: 0, seats: input.seats });
    }
    await tx.insert(passTransactions).values({
      passId: pass.id,
      kind: "use",
      bookingId: input.bookingId,
      usesDelta: -uses,
      valueDeltaFen: -valueFen,
      discountFen,
      actorId: input.actorId,
    });
  }
  if (charge.coupon) {
    const { coupon, discountFen } = charge.coupon;
    if (coupon.maxUsesPerCustomer !== null) {
      const [mine] = await tx
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(couponRedemptions)
        .where(
          and(
            eq(couponRedemptions.couponId, coupon.id),
            eq(couponRedemptions.customerId, input.customerId),
            isNull(couponRedemptions.returnedAt),
          ),
        );
      if ((mine?.n ?? 0) >= coupon.maxUsesPerCustomer) throw refuse("coupon_customer_limit", "couponCustomerLimit");
    }
    const [counted] = await tx
      .update(coupons)
      .set({ usedCount: sql`${coupons.usedCount} + 1` })
      .where(
        and(
          eq(coupons.id, coupon.id),
          eq(coupons.active, true),
          sql`(${coupons.maxUses} is null or ${coupons.usedCount} < ${coupons.maxUses})`,
        ),
      )
      .returning({ id: coupons.id });
    if (!counted) throw refuse("coupon_used_up", "couponUsedUp");
    await tx
      .insert(couponRedemptions)
      .values({ couponId: coupon.id, bookingId: input.bookingId, customerId: input.customerId, discountFen });
  }
}

/**
 * A cancelled or expired booking gives back what it took: the pass's uses and balance (a "return"
 * row, once per booking by its unique index) and its coupon use. The policy decides whether the
 * customer may cancel at all (before the deadline); what the card paid comes back whole.
 */
export async function giveBack(tx: Tx, bookingId: string, reason: string): Promise<void> {
  const [use] = await tx
    .select()
    .from(passTransactions)
    .where(and(eq(passTransactions.bookingId, bookingId), eq(passTransactions.kind, "use")));
  if (use && (use.usesDelta !== 0 || use.valueDeltaFen !== 0)) {
    const [returned] = await tx
      .insert(passTransactions)
      .values({ passId: use.passId, kind: "return", bookingId, usesDelta: -use.usesDelta, valueDeltaFen: -use.valueDeltaFen, reason })
      .onConflictDoNothing()
      .returning({ id: passTransactions.id });
    if (returned) {
      await tx
        .update(passes)
        .set({
          remainingUses: use.usesDelta !== 0 ? sql`${passes.remainingUses} + ${-use.usesDelta}` : undefined,
          balanceFen: use.valueDeltaFen !== 0 ? sql`${passes.balanceFen} + ${-use.valueDeltaFen}` : undefined,
        })
        .where(eq(passes.id, use.passId));
    }
  }
  const [redemption] = await tx
    .update(couponRedemptions)
    .set({ returnedAt: new Date() })
    .where(and(eq(couponRedemptions.bookingId, bookingId), isNull(couponRedemptions.returnedAt)))
    .returning({ couponId: couponRedemptions.couponId });
  if (redemption) {
    await tx
      .update(coupons)
      .set({ usedCount: sql`greatest(${coupons.usedCount} - 1, 0)` })
      .where(eq(coupons.id, redemption.couponId));
  }
}

/** A reschedule replaces the booking row: what the old row took belongs to the new one. */
export async function moveRedemptions(tx: Tx, fromBookingId: string, toBookingId: string): Promise<void> {
  await tx.update(passTransactions).set({ bookingId: toBookingId }).where(eq(passTransactions.bookingId, fromBookingId));
  await tx.update(couponRedemptions).set({ bookingId: toBookingId }).where(eq(couponRedemptions.bookingId, fromBookingId));
}
