import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { payments } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import type { ApiProvider } from "@/lib/payments/gateways";
import { startPaymentOrder, type PaymentDto } from "@/lib/payments/start-payment";
import type { CreateOrderResult, PayChannel } from "@/lib/payments/types";
import { getSeriesView } from "./series-queries";

export type StartSeriesPaymentInput = {
  seriesId: string;
  actor: Actor;
  provider: ApiProvider;
  channel?: PayChannel;
  clientIp?: string;
  openid?: string;
  now?: Date;
};

/**
 * One payment for the whole series: what its weeks on hold owe together (each week's deposit or
 * price by the same rules as a single booking), expiring with their common hold. The paid notice
 * confirms every week at once (apply-series-payment.ts).
 */
export async function startSeriesPayment(
  input: StartSeriesPaymentInput,
  db: Db = getDb(),
): Promise<{ payment: PaymentDto } & CreateOrderResult> {
  const now = input.now ?? new Date();
  const series = await getSeriesView(db, input.seriesId, input.actor);
  const [paid] = await db
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.seriesId, series.id), inArray(payments.status, ["paid", "partially_refunded"])))
    .limit(1);
  if (paid) throw new AppError("ALREADY_PAID", "alreadyPaid");
  if (series.status !== "pending_payment" || series.amountDueFen <= 0) {
    throw new AppError("INVALID_STATE", "cannotPay", undefined, { status: series.status });
  }
  if (series.holdExpiresAt && Date.parse(series.holdExpiresAt) <= now.getTime()) throw new AppError("INVALID_STATE", "holdExpired");
  return startPaymentOrder(db, {
    seriesId: series.id,
    amountFen: series.amountDueFen,
    subject: `${series.serviceName} × ${series.bookings.filter((b) => b.status === "pending_payment").length}`,
    returnPath: `/series/${series.id}/pay?returned=1`,
    expiresAt: series.holdExpiresAt ? new Date(series.holdExpiresAt) : undefined,
    actorId: input.actor.id,
    provider: input.provider,
    channel: input.channel,
    clientIp: input.clientIp,
    openid: input.openid,
  });
}
