import "server-only";
import { and, asc, desc, eq, gte, inArray, lt, ne } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import {
  bookings,
  couponRedemptions,
  coupons,
  passes,
  passPlans,
  passSales,
  passTransactions,
  users,
  type Coupon,
  type Pass,
  type PassPlan,
} from "@/db/schema";

export type PassState = "active" | "expired" | "used_up" | "refunded";

export type PassDto = {
  id: string;
  kind: Pass["kind"];
  name: string;
  remainingUses?: number;
  balanceFen?: number;
  discountPercent?: number;
  expiresAt?: string;
  serviceIds: string[];
  state: PassState;
  createdAt: string;
};

export function passState(p: Pass, now = new Date()): PassState {
  if (p.status !== "active") return "refunded";
  if (p.expiresAt && p.expiresAt <= now) return "expired";
  if (p.kind === "visits" && (p.remainingUses ?? 0) <= 0) return "used_up";
  if (p.kind === "value" && (p.balanceFen ?? 0) <= 0) return "used_up";
  return "active";
}

/** GET /api/v1/me/passes: optional keys only for the kind that has them. */
export function toPassDto(p: Pass, now = new Date()): PassDto {
  return {
    id: p.id,
    kind: p.kind,
    name: p.name,
    ...(p.remainingUses !== null && { remainingUses: p.remainingUses }),
    ...(p.balanceFen !== null && { balanceFen: p.balanceFen }),
    ...(p.discountPercent !== null && { discountPercent: p.discountPercent }),
    ...(p.expiresAt && { expiresAt: p.expiresAt.toISOString() }),
    serviceIds: p.serviceIds,
    state: passState(p, now),
    createdAt: p.createdAt.toISOString(),
  };
}

/** A customer's cards, usable ones first; voided ones are left out. */
export async function listCustomerPasses(db: DbOrTx, customerId: string, now = new Date()): Promise<PassDto[]> {
  const rows = await db
    .select()
    .from(passes)
    .where(and(eq(passes.customerId, customerId), ne(passes.status, "void")))
    .orderBy(desc(passes.createdAt));
  const dtos = rows.map((p) => toPassDto(p, now));
  return [...dtos.filter((d) => d.state === "active"), ...dtos.filter((d) => d.state !== "active")];
}

/** A customer's cards as rows (staff: the refund rule needs them whole). */
export async function customerPassRows(db: DbOrTx, customerId: string): Promise<Pass[]> {
  return db
    .select()
    .from(passes)
    .where(and(eq(passes.customerId, customerId), ne(passes.status, "void")))
    .orderBy(desc(passes.createdAt));
}

/** Passes that could pay for a booking of this service now (the booker's choice). */
export async function usablePasses(db: DbOrTx, customerId: string, serviceId: string, now = new Date()): Promise<PassDto[]> {
  return (await listCustomerPasses(db, customerId, now)).filter(
    (p) => p.state === "active" && (p.serviceIds.length === 0 || p.serviceIds.includes(serviceId)),
  );
}

export type PassHistoryRow = {
  id: string;
  passId: string;
  passName: string;
  kind: string;
  bookingId: string | null;
  bookingCode: string | null;
  usesDelta: number;
  valueDeltaFen: number;
  discountFen: number;
  reason: string | null;
  actorName: string | null;
  createdAt: Date;
};

/** The movements of one customer's passes (or of one pass), newest first: "my cards" and the customer's page. */
export async function passHistory(db: DbOrTx, where: { customerId?: string; passId?: string }, limit = 100): Promise<PassHistoryRow[]> {
  return db
    .select({
      id: passTransactions.id,
      passId: passTransactions.passId,
      passName: passes.name,
      kind: passTransactions.kind,
      bookingId: passTransactions.bookingId,
      bookingCode: bookings.code,
      usesDelta: passTransactions.usesDelta,
      valueDeltaFen: passTransactions.valueDeltaFen,
      discountFen: passTransactions.discountFen,
      reason: passTransactions.reason,
      actorName: users.name,
      createdAt: passTransactions.createdAt,
    })
    .from(passTransactions)
    .innerJoin(passes, eq(passes.id, passTransactions.passId))
    .leftJoin(bookings, eq(bookings.id, passTransactions.bookingId))
    .leftJoin(users, eq(users.id, passTransactions.actorId))
    .where(
      and(where.customerId ? eq(passes.customerId, where.customerId) : undefined, where.passId ? eq(passes.id, where.passId) : undefined),
    )
    .orderBy(desc(passTransactions.createdAt), desc(passTransactions.id))
    .limit(limit);
}

export async function listPlans(db: DbOrTx, businessId: string, onlyActive = false): Promise<PassPlan[]> {
  return db
    .select()
    .from(passPlans)
    .where(and(eq(passPlans.businessId, businessId), onlyActive ? eq(passPlans.active, true) : undefined))
    .orderBy(asc(passPlans.kind), asc(passPlans.priceFen));
}

export async function listCoupons(db: DbOrTx, businessId: string) {
  return db.select().from(coupons).where(eq(coupons.businessId, businessId)).orderBy(desc(coupons.createdAt));
}

/** A booking's pass use and coupon, for the booking's pages. */
export async function bookingCharge(db: DbOrTx, bookingId: string) {
  const [use] = await db
    .select({
      passId: passes.id,
      passName: passes.name,
      kind: passes.kind,
      uses: passTransactions.usesDelta,
      valueFen: passTransactions.valueDeltaFen,
      discountFen: passTransactions.discountFen,
    })
    .from(passTransactions)
    .innerJoin(passes, eq(passes.id, passTransactions.passId))
    .where(and(eq(passTransactions.bookingId, bookingId), eq(passTransactions.kind, "use")));
  const [coupon] = await db
    .select({ code: coupons.code, discountFen: couponRedemptions.discountFen, returnedAt: couponRedemptions.returnedAt })
    .from(couponRedemptions)
    .innerJoin(coupons, eq(coupons.id, couponRedemptions.couponId))
    .where(eq(couponRedemptions.bookingId, bookingId));
  return { pass: use ?? null, coupon: coupon ?? null };
}

export type PassSaleRow = {
  id: string;
  createdAt: Date;
  paidAt: Date | null;
  channel: string;
  method: string | null;
  amountFen: number;
  refundedFen: number;
  status: string;
  planName: string;
  customerName: string;
  soldByName: string | null;
};

/** Card sales between two instants (paid, refunded or pending), for the ledger. */
export async function passSalesBetween(db: DbOrTx, businessId: string, from: Date, to: Date): Promise<PassSaleRow[]> {
  const soldBy = users;
  const rows = await db
    .select({
      id: passSales.id,
      createdAt: passSales.createdAt,
      paidAt: passSales.paidAt,
      channel: passSales.channel,
      method: passSales.method,
      amountFen: passSales.amountFen,
      refundedFen: passSales.refundedFen,
      status: passSales.status,
      planName: passPlans.name,
      customerId: passSales.customerId,
      soldBy: passSales.soldBy,
    })
    .from(passSales)
    .innerJoin(passPlans, eq(passPlans.id, passSales.planId))
    .where(
      and(
        eq(passSales.businessId, businessId),
        inArray(passSales.status, ["paid", "refunded"]),
        gte(passSales.createdAt, from),
        lt(passSales.createdAt, to),
      ),
    )
    .orderBy(desc(passSales.createdAt));
  const ids = [...new Set(rows.flatMap((r) => [r.customerId, r.soldBy ?? r.customerId]))];
  const names = new Map(
    ids.length
      ? (await db.select({ id: soldBy.id, name: soldBy.name }).from(soldBy).where(inArray(soldBy.id, ids))).map((u) => [u.id, u.name])
      : [],
  );
  return rows.map(({ customerId, soldBy: by, ...r }) => ({
    ...r,
    customerName: names.get(customerId) ?? "",
    soldByName: by ? (names.get(by) ?? null) : null,
  }));
}

export const toPlanDto = (p: PassPlan) => ({
  id: p.id,
  kind: p.kind,
  name: p.name,
  priceFen: p.priceFen,
  visits: p.visits,
  bonusFen: p.bonusFen,
  discountPercent: p.discountPercent,
  serviceIds: p.serviceIds,
  validDays: p.validDays,
  active: p.active,
});
export type PassPlanDto = ReturnType<typeof toPlanDto>;

export const toCouponDto = (c: Coupon) => ({
  id: c.id,
  code: c.code,
  kind: c.kind,
  amountFen: c.amountFen,
  percent: c.percent,
  serviceIds: c.serviceIds,
  maxUses: c.maxUses,
  maxUsesPerCustomer: c.maxUsesPerCustomer,
  usedCount: c.usedCount,
  expiresAt: c.expiresAt?.toISOString() ?? null,
  active: c.active,
});
export type CouponDto = ReturnType<typeof toCouponDto>;
