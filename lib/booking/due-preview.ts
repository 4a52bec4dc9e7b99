import "server-only";
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { businesses, type Service } from "@/db/schema";
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
