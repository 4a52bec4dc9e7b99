import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { getDb, type Db, type Tx } from "@/db/client";
import { bookings, payments, refunds, type Booking, type DeskMethod, type Payment, type Refund } from "@/db/schema";
import { audit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";
import { requireStaff } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { enqueue } from "@/lib/jobs/enqueue";
import { bookingConfirmed } from "@/lib/notifications/booking-events";
import { newTradeNo } from "@/lib/payments/gateways";
import { settleRefund } from "@/lib/payments/refunds";
import { toPaymentDto, type PaymentDto } from "@/lib/payments/start-payment";
import { bookingBalance } from "./money-facts";
import type { Balance } from "./money-status";
import { closeOrdersJob } from "./payments";
import { markOfferBooked } from "./waitlist-offers";

/*
 * Money staff take or hand back at the venue, in the one payments ledger: a desk payment is a
 * payments row (provider and gateway "desk", its method, who took it and why), already paid; a desk
 * refund is a refunds row with a method, pending until staff record handing the money back.
 * Cancellation refunds reach them through requestRefund like any payment (gateway payments first).
 */

/** Bookings whose money the desk may still take: on hold, confirmed, or served and not settled yet. */
const PAYABLE = ["pending_payment", "confirmed", "completed"] as const;

/** The desk payment's row and its audit entry, in the caller's transaction (the booking is the caller's to guard). */
export async function insertDeskPayment(
  tx: Tx,
  input: { booking: Pick<Booking, "id" | "status">; amountFen: number; method: DeskMethod; note: string | null; actorId: string },
): Promise<Payment> {
  const now = new Date();
  const [row] = await tx
    .insert(payments)
    .values({
      bookingId: input.booking.id,
      provider: "desk",
      gateway: "desk",
      channel: "desk",
      outTradeNo: newTradeNo("D"),
      amountFen: input.amountFen,
      status: "paid",
      paidAt: now,
      purpose: input.booking.status === "pending_payment" ? "due" : "balance",
      method: input.method,
      recordedBy: input.actorId,
      note: input.note,
    })
    .returning();
  if (!row) throw new Error("desk payment was not inserted");
  await audit(tx, {
    actorId: input.actorId,
    action: "payment.desk_recorded",
    entityType: "payment",
    entityId: row.id,
    reason: input.note,
    data: { bookingId: input.booking.id, amountFen: input.amountFen, method: input.method },
  });
  return row;
}

export type DeskPaymentInput = {
  bookingId: string;
  actor: Actor;
  method: DeskMethod;
  /** Fen taken; the balance due when left out. */
  amountFen?: number;
  note?: string | null;
};

/**
 * Staff record money taken at the desk against a booking, at most its balance due (read under the
 * booking's row lock, so two clerks cannot both take the last of it). A booking on hold is confirmed
 * by it (the hold's open gateway orders are closed after commit; one paid meanwhile is refunded).
 */
export async function recordDeskPayment(
  input: DeskPaymentInput,
  db: Db = getDb(),
): Promise<{ booking: Booking; payment: PaymentDto; balance: Balance }> {
  requireStaff(input.actor);
  const note = input.note?.trim() || null;
  if (input.amountFen !== undefined && (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0))
    throw new AppError("VALIDATION_FAILED", "deskAmountPositive");
  return db.transaction(async (tx) => {
    const [booking] = await tx.select().from(bookings).where(eq(bookings.id, input.bookingId)).for("update");
    if (!booking) throw new AppError("NOT_FOUND", "bookingNotFound");
    if (!(PAYABLE as readonly string[]).includes(booking.status))
      throw new AppError("INVALID_STATE", "cannotTakePayment", { status: booking.status }, { status: booking.status });
    const before = await bookingBalance(tx, booking);
    if (before.balanceFen <= 0) throw new AppError("INVALID_STATE", "nothingDue");
    const amountFen = input.amountFen ?? before.balanceFen;
    if (amountFen > before.balanceFen) throw new AppError("VALIDATION_FAILED", "deskPaymentAtMost", undefined, { fen: before.balanceFen });
    const payment = await insertDeskPayment(tx, { booking, amountFen, method: input.method, note, actorId: input.actor.id });
    let current = booking;
    if (booking.status === "pending_payment") {
      const [confirmed] = await tx
        .update(bookings)
        .set({ status: "confirmed", holdExpiresAt: null })
        .where(and(eq(bookings.id, booking.id), eq(bookings.status, "pending_payment")))
        .returning();
      if (!confirmed) throw new AppError("INVALID_STATE", "bookingChanged");
      current = confirmed;
      await audit(tx, {
        actorId: input.actor.id,
        action: "booking.confirmed",
        entityType: "booking",
        entityId: booking.id,
        reason: note ?? "reasonPaidAtDesk",
        data: { from: "pending_payment", to: "confirmed", code: booking.code, deskPaymentId: payment.id },
      });
      await bookingConfirmed(tx, booking.id, amountFen);
      await markOfferBooked(tx, booking.id);
    }
    // An online order still open (the hold's, or a balance order) is superseded by the desk.
    await enqueue(tx, closeOrdersJob, { bookingId: booking.id, reason: "paid at the desk" });
    return { booking: current, payment: toPaymentDto(payment), balance: await bookingBalance(tx, current) };
  });
}

/** Desk refunds still owed to the customer (pending), for the booking page and check-in. */
export async function owedDeskRefunds(db: Db, bookingId: string): Promise<Refund[]> {
  return db
    .select()
    .from(refunds)
    .where(and(eq(refunds.bookingId, bookingId), eq(refunds.status, "pending")))
    .then((rows) => rows.filter((r) => r.method !== null));
}

/**
 * Staff record handing a desk refund back (cash, card reversal…): the refund succeeds once (guarded
 * on pending), the payment's refunded total moves with it, and who did it is on the row and in the audit.
 */
export async function settleDeskRefund(input: { refundId: string; actor: Actor; note?: string | null }, db: Db = getDb()): Promise<Refund> {
  requireStaff(input.actor);
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(refunds).where(eq(refunds.id, input.refundId)).for("update");
    if (!row) throw new AppError("NOT_FOUND", "refundNotFound");
    if (!row.method) throw new AppError("INVALID_STATE", "notDeskRefund");
    const settled = await settleRefund(tx, row.id, { status: "succeeded", gatewayStatus: "DESK" }, `user:${input.actor.id}`);
    if (!settled) throw new AppError("INVALID_STATE", "refundChanged");
    const [done] = await tx
      .update(refunds)
      .set({ settledBy: input.actor.id })
      .where(and(eq(refunds.id, row.id), inArray(refunds.status, ["succeeded"])))
      .returning();
    await audit(tx, {
      actorId: input.actor.id,
      action: "refund.desk_returned",
      entityType: "refund",
      entityId: row.id,
      reason: input.note?.trim() || null,
      data: { bookingId: row.bookingId, amountFen: row.amountFen, method: row.method },
    });
    return done ?? settled;
  });
}
