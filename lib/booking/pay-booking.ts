import "server-only";
import { eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { services, type Booking } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import type { ApiProvider } from "@/lib/payments/gateways";
import { hasPaidPayment, startPaymentOrder, type PaymentDto } from "@/lib/payments/start-payment";
import type { CreateOrderResult, PayChannel } from "@/lib/payments/types";
import { loadOwnBooking } from "./cancel-booking";
import { bookingBalance } from "./money-facts";
import { closeBookingOrders } from "./payments";

export type StartPaymentInput = {
  bookingId: string;
  actor: Actor;
  provider: ApiProvider;
  channel?: PayChannel;
  clientIp?: string;
  openid?: string;
  now?: Date;
};

/**
 * Pays a booking on hold: only its customer (or staff), only while pending_payment and inside the
 * hold (a confirmed booking pays its balance: payBalance); the gateway order (payments) is for what the booking owes and expires with the hold.
 * A new order supersedes the booking's open ones: they are closed at the gateway and in the ledger
 * first (one paid meanwhile is applied, and then the booking is already paid).
 */
export async function startPayment(input: StartPaymentInput, db: Db = getDb()): Promise<{ payment: PaymentDto } & CreateOrderResult> {
  const now = input.now ?? new Date();
  const booking = await loadOwnBooking(db, input.bookingId, input.actor);
  if (booking.status === "confirmed") return payBalance(db, booking, input);
  if (await hasPaidPayment(db, booking.id)) throw new AppError("ALREADY_PAID", "alreadyPaid");
  // A series week is paid with its series, by one payment (pay-series.ts).
  if (booking.seriesId) throw new AppError("INVALID_STATE", "paySeriesTogether");
  if (booking.status !== "pending_payment") throw new AppError("INVALID_STATE", "cannotPay", undefined, { status: booking.status });
  if (booking.holdExpiresAt && booking.holdExpiresAt <= now) throw new AppError("INVALID_STATE", "holdExpired");
  await closeSuperseded(db, booking.id);
  const [service] = await db.select({ name: services.name }).from(services).where(eq(services.id, booking.serviceId));
  return startPaymentOrder(db, {
    bookingId: booking.id,
    amountFen: booking.amountDueFen,
    subject: `${service?.name ?? "预约"} · ${booking.code}`,
    returnPath: `/bookings/${booking.id}/pay?returned=1`,
    expiresAt: booking.holdExpiresAt ?? undefined,
    actorId: input.actor.id,
    provider: input.provider,
    channel: input.channel,
    clientIp: input.clientIp,
    openid: input.openid,
  });
}

/**
 * A confirmed booking's balance (the rest of the price after the deposit, a desk payment or a card),
 * paid online before the visit: an order for exactly what is due now, marked "balance" so its notice
 * is applied to the confirmed booking (lib/booking/apply-payment.ts) rather than refunded as a
 * second payment. Nothing due: ALREADY_PAID.
 */
async function payBalance(db: Db, booking: Booking, input: StartPaymentInput): Promise<{ payment: PaymentDto } & CreateOrderResult> {
  if ((await bookingBalance(db, booking)).balanceFen <= 0) throw new AppError("ALREADY_PAID", "alreadyPaid");
  try {
    await closeBookingOrders(db, booking.id, "superseded by a new balance order");
  } catch (e) {
    console.warn(`[payments] closing the superseded orders of ${booking.id} failed:`, e instanceof Error ? e.message : e);
  }
  // Read again: an order closed just now may have been paid.
  const balance = await bookingBalance(db, booking);
  if (balance.balanceFen <= 0) throw new AppError("ALREADY_PAID", "alreadyPaid");
  const [service] = await db.select({ name: services.name }).from(services).where(eq(services.id, booking.serviceId));
  return startPaymentOrder(db, {
    bookingId: booking.id,
    amountFen: balance.balanceFen,
    purpose: "balance",
    subject: `${service?.name ?? "预约"} · ${booking.code}`,
    returnPath: `/bookings/${booking.id}/pay?balance=1&returned=1`,
    actorId: input.actor.id,
    provider: input.provider,
    channel: input.channel,
    clientIp: input.clientIp,
    openid: input.openid,
  });
}

/**
 * Closes the booking's open orders before a new one is made; a gateway that cannot be reached now
 * does not stop the new payment (the order is closed when the booking is paid or its hold ends).
 */
async function closeSuperseded(db: Db, bookingId: string): Promise<void> {
  try {
    await closeBookingOrders(db, bookingId, "superseded by a new payment order");
  } catch (e) {
    console.warn(`[payments] closing the superseded orders of ${bookingId} failed:`, e instanceof Error ? e.message : e);
  }
  if (await hasPaidPayment(db, bookingId)) throw new AppError("ALREADY_PAID", "alreadyPaid");
}
