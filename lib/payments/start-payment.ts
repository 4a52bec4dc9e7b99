import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { payments, services, type Payment } from "@/db/schema";
import { audit } from "@/lib/audit";
import { loadOwnBooking, type Actor } from "@/lib/booking/cancel-booking";
import { appUrl } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { gatewayOf, newTradeNo, providerFor, type ApiProvider } from "./gateways";
import { GatewayError, type CreateOrderResult, type PayChannel } from "./types";

export type StartPaymentInput = {
  bookingId: string;
  actor: Actor;
  provider: ApiProvider;
  channel?: PayChannel;
  clientIp?: string;
  openid?: string;
  now?: Date;
};

export type PaymentDto = Pick<
  Payment,
  "id" | "bookingId" | "provider" | "gateway" | "channel" | "outTradeNo" | "amountFen" | "refundedFen" | "status"
> & { paidAt: string | null; createdAt: string };
export const toPaymentDto = (p: Payment): PaymentDto => ({
  id: p.id,
  bookingId: p.bookingId,
  provider: p.provider,
  gateway: p.gateway,
  channel: p.channel,
  outTradeNo: p.outTradeNo,
  amountFen: p.amountFen,
  refundedFen: p.refundedFen,
  status: p.status,
  paidAt: p.paidAt?.toISOString() ?? null,
  createdAt: p.createdAt.toISOString(),
});

/**
 * One payment attempt for a booking on hold: the row (unique out_trade_no, amount = what the
 * booking owes) is committed before the gateway is called, so no gateway order exists without its
 * row; the order expires with the hold.
 */
export async function startPayment(input: StartPaymentInput, db: Db = getDb()): Promise<{ payment: PaymentDto } & CreateOrderResult> {
  const now = input.now ?? new Date();
  const booking = await loadOwnBooking(db, input.bookingId, input.actor);
  const paid = await db
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.bookingId, booking.id), eq(payments.status, "paid")));
  if (paid.length > 0 || booking.status === "confirmed") throw new AppError("ALREADY_PAID", "alreadyPaid");
  if (booking.status !== "pending_payment") throw new AppError("INVALID_STATE", "cannotPay", undefined, { status: booking.status });
  if (booking.holdExpiresAt && booking.holdExpiresAt <= now) throw new AppError("INVALID_STATE", "holdExpired");

  const gateway = gatewayOf(input.provider, input.channel);
  const channel: PayChannel = input.channel ?? "qr";
  const provider = providerFor({ provider: input.provider, gateway });
  if (!provider.channels.includes(channel)) throw new AppError("VALIDATION_FAILED", `${gateway} does not support channel ${channel}`);
  const [service] = await db.select({ name: services.name }).from(services).where(eq(services.id, booking.serviceId));

  const [payment] = await db.transaction(async (tx) => {
    const rows = await tx
      .insert(payments)
      .values({
        bookingId: booking.id,
        provider: input.provider,
        gateway,
        channel,
        outTradeNo: newTradeNo("P"),
        amountFen: booking.amountDueFen,
      })
      .returning();
    await audit(tx, {
      actorId: input.actor.id,
      action: "payment.created",
      entityType: "payment",
      entityId: rows[0]!.id,
      data: { bookingId: booking.id, provider: input.provider, amountFen: booking.amountDueFen },
    });
    return rows;
  });
  if (!payment) throw new AppError("INTERNAL", "Payment was not created");
  try {
    const order = await provider.createOrder({
      outTradeNo: payment.outTradeNo,
      amountFen: payment.amountFen,
      subject: `${service?.name ?? "预约"} · ${booking.code}`,
      channel,
      notifyUrl: `${appUrl()}/api/payments/${gateway}/notify`,
      returnUrl: `${appUrl()}/bookings/${booking.id}/pay?returned=1`,
      clientIp: input.clientIp,
      openid: input.openid,
      expiresAt: booking.holdExpiresAt ?? undefined,
    });
    return { payment: toPaymentDto(payment), ...order };
  } catch (e) {
    await db
      .update(payments)
      .set({ status: "failed", updatedAt: new Date() })
      .where(and(eq(payments.id, payment.id), eq(payments.status, "pending")));
    const message = e instanceof GatewayError ? e.message : "gatewayUnavailable";
    if (!(e instanceof GatewayError)) console.error("[payments] createOrder failed", e);
    throw new AppError("PAYMENT_FAILED", message);
  }
}

export async function bookingPayments(db: Db, bookingId: string): Promise<PaymentDto[]> {
  return (await db.select().from(payments).where(eq(payments.bookingId, bookingId))).map(toPaymentDto);
}
