import "server-only";
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { businesses, type Service } from "@/db/schema";
import { priceWithPass } from "@/lib/passes/redeem";
import { amountDue, resolvePolicy } from "./policy";

/**
 * What a booking of 1..maxSeats seats would ask to pay online (定金 or the full price), with the same
 * policy `createBooking` applies, so the booker's price bar shows the amount the booking will have.
 */
export async function dueBySeats(db: DbOrTx, service: Service, maxSeats: number): Promise<number[]> {
  const [business] = await db.select({ policy: businesses.policy }).from(businesses).where(eq(businesses.id, service.businessId)).limit(1);
  const policy = resolvePolicy(business?.policy, service.rules);
  return Array.from({ length: Math.max(1, maxSeats) }, (_, i) =>
    amountDue({ priceFen: service.priceFen, depositFen: service.depositFen, seats: i + 1, policy }),
  );
}

export type ChargeQuote = { totalFen: number; dueFen: number; discountFen: number; passFen: number; passUses: number };

/**
 * What a booking of `seats` would cost with the customer's card and/or a coupon, by the very pricing
 * createBooking applies in its transaction (lib/passes/redeem.ts priceWithPass): the total after
 * discounts, what is paid online now, the discount, and what the card pays. A refusal (card used
 * up, balance short, coupon used up or not for this service) is thrown as the booking would throw it.
 */
export async function previewCharge(
  db: DbOrTx,
  service: Service,
  input: { customerId: string; seats: number; passId?: string | null; couponCode?: string | null; now?: Date },
): Promise<ChargeQuote> {
  const [business] = await db.select({ policy: businesses.policy }).from(businesses).where(eq(businesses.id, service.businessId)).limit(1);
  const policy = resolvePolicy(business?.policy, service.rules);
  const priceFen = service.priceFen * input.seats;
  const dueFen = amountDue({ priceFen: service.priceFen, depositFen: service.depositFen, seats: input.seats, policy });
  const charge = await priceWithPass(db, {
    businessId: service.businessId,
    serviceId: service.id,
    customerId: input.customerId,
    seats: input.seats,
    priceFen,
    dueFen,
    passId: input.passId,
    couponCode: input.couponCode,
    now: input.now ?? new Date(),
  });
  return {
    totalFen: charge.priceFen,
    dueFen: charge.amountDueFen,
    discountFen: priceFen - charge.priceFen,
    passFen: charge.pass?.valueFen ?? 0,
    passUses: charge.pass?.uses ?? 0,
  };
}
