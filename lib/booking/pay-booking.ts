import "server-only";
import { eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { services } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import type { ApiProvider } from "@/lib/payments/gateways";
import { hasPaidPayment, startPaymentOrder, type PaymentDto } from "@/lib/payments/start-payment";
import type { CreateOrderResult, PayChannel } from "@/lib/payments/types";
import { loadOwnBooking } from "./cancel-booking";

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
 * hold; the gateway order (payments) is for what the booking owes and expires with the hold.
 */
export async function startPayment(input: StartPaymentInput, db: Db = getDb()): Promise<{ payment: PaymentDto } & CreateOrderResult> {
  const now = input.now ?? new Date();
  const booking = await loadOwnBooking(db, input.bookingId, input.actor);
  if (booking.status === "confirmed" || (await hasPaidPayment(db, booking.id))) throw new AppError("ALREADY_PAID", "alreadyPaid");
  if (booking.status !== "pending_payment") throw new AppError("INVALID_STATE", "cannotPay", undefined, { status: booking.status });
  if (booking.holdExpiresAt && booking.holdExpiresAt <= now) throw new AppError("INVALID_STATE", "holdExpired");
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
