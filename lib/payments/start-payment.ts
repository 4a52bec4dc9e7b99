import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { payments, type Payment } from "@/db/schema";
import { audit } from "@/lib/audit";
import { appUrl } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { gatewayOf, newTradeNo, providerFor, type ApiProvider } from "./gateways";
import { GatewayError, type CreateOrderResult, type PayChannel } from "./types";
import { log } from "@/lib/log";

/** What the payer buys and where the gateway sends them back: the booking domain fills it in (payments never reads bookings). */
export type PaymentOrderInput = {
  /** What is bought: a booking, a pass sale (lib/passes/buy-pass.ts), or a series' bookings (lib/booking/pay-series.ts). */
  bookingId?: string | null;
  passSaleId?: string | null;
  seriesId?: string | null;
  amountFen: number;
  /** "balance": the rest of a confirmed booking's price (applied without confirming it again). */
  purpose?: "due" | "balance";
  subject: string;
  /** The customer's page once paid (the gateway's return URL). */
  returnPath: string;
  /** The order expires with the booking's hold. */
  expiresAt?: Date;
  actorId: string;
  provider: ApiProvider;
  channel?: PayChannel;
  clientIp?: string;
  openid?: string;
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
 * One payment attempt: the row (unique out_trade_no, the amount owed) is committed before the
 * gateway is called, so no gateway order exists without its row.
 */
export async function startPaymentOrder(db: Db, input: PaymentOrderInput): Promise<{ payment: PaymentDto } & CreateOrderResult> {
  const gateway = gatewayOf(input.provider, input.channel);
  const channel: PayChannel = input.channel ?? "qr";
  const provider = providerFor({ provider: input.provider, gateway });
  if (!provider.channels.includes(channel)) throw new AppError("VALIDATION_FAILED", "channelUnsupported", undefined, { gateway, channel });

  const [payment] = await db.transaction(async (tx) => {
    const rows = await tx
      .insert(payments)
      .values({
        bookingId: input.bookingId ?? null,
        passSaleId: input.passSaleId ?? null,
        seriesId: input.seriesId ?? null,
        provider: input.provider,
        gateway,
        channel,
        outTradeNo: newTradeNo("P"),
        amountFen: input.amountFen,
        purpose: input.purpose ?? "due",
      })
      .returning();
    await audit(tx, {
      actorId: input.actorId,
      action: "payment.created",
      entityType: "payment",
      entityId: rows[0]!.id,
      data: {
        bookingId: input.bookingId ?? null,
        passSaleId: input.passSaleId ?? null,
        seriesId: input.seriesId ?? null,
        provider: input.provider,
        amountFen: input.amountFen,
      },
    });
    return rows;
  });
  if (!payment) throw new AppError("INTERNAL", "Payment was not created");
  try {
    const order = await provider.createOrder({
      outTradeNo: payment.outTradeNo,
      amountFen: payment.amountFen,
      subject: input.subject,
      channel,
      notifyUrl: `${appUrl()}/api/payments/${gateway}/notify`,
      returnUrl: `${appUrl()}${input.returnPath}`,
      clientIp: input.clientIp,
      openid: input.openid,
      expiresAt: input.expiresAt,
    });
    if (order.gatewayOrder) {
      // The gateway named the order (PayPal): later calls and refunds need its id and currency amount.
      const { orderId, currency, amountMinor } = order.gatewayOrder;
      await db.update(payments).set({ gatewayOrderId: orderId, currency, currencyAmount: amountMinor }).where(eq(payments.id, payment.id));
    }
    return { payment: toPaymentDto(payment), ...order };
  } catch (e) {
    await db
      .update(payments)
      .set({ status: "failed" })
      .where(and(eq(payments.id, payment.id), eq(payments.status, "pending")));
    const message = e instanceof GatewayError ? e.message : "gatewayUnavailable";
    if (!(e instanceof GatewayError)) log.error("[payments] createOrder failed", e);
    throw new AppError("PAYMENT_FAILED", message);
  }
}

export async function bookingPayments(db: Db, bookingId: string): Promise<PaymentDto[]> {
  return (await db.select().from(payments).where(eq(payments.bookingId, bookingId))).map(toPaymentDto);
}

/** Whether a payment of the booking has gone through (and not yet been refunded in part or whole). */
export async function hasPaidPayment(db: Db, bookingId: string): Promise<boolean> {
  const paid = await db
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.bookingId, bookingId), eq(payments.status, "paid")))
    .limit(1);
  return paid.length > 0;
}
