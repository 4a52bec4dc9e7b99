"use server";

import { headers } from "next/headers";
import QRCode from "qrcode";
import { z } from "zod";
import { getDb } from "@/db/client";
import { auth } from "@/lib/auth";
import { actionError } from "@/lib/actions";
import { loadOwnBooking } from "@/lib/booking/cancel-booking";
import { AppError } from "@/lib/errors";
import { reconcileBooking } from "@/lib/payments/reconcile";
import { startPayment } from "@/lib/payments/start-payment";
import { clientIp, consumeLimits, paymentAttemptLimits } from "@/lib/rate-limit";
import { payBookingSchema } from "@/lib/validations/payment";

export type PayState =
  { ok: true; outTradeNo: string; qrDataUrl?: string; openUrl?: string; amountFen: number } | { ok: false; message: string };

async function sessionActor() {
  const session = await auth();
  if (!session?.user?.id) throw new AppError("UNAUTHENTICATED", "请先登录 / Please sign in");
  return { id: session.user.id, role: session.user.role };
}

/** Starts one payment attempt; desktop gets a QR code to scan, phones a link that opens the wallet. */
export async function startPayAction(bookingId: string, input: { provider: string; mobile: boolean }): Promise<PayState> {
  try {
    const actor = await sessionActor();
    const provider = payBookingSchema.shape.provider.parse(input.provider);
    const id = z.uuid().parse(bookingId);
    await consumeLimits(paymentAttemptLimits(id));
    const result = await startPayment({
      bookingId: id,
      actor,
      provider,
      channel: input.mobile ? "mobile_web" : "qr",
      clientIp: clientIp(await headers()),
    });
    const scan = result.codeUrl;
    return {
      ok: true,
      outTradeNo: result.payment.outTradeNo,
      amountFen: result.payment.amountFen,
      qrDataUrl: scan ? await QRCode.toDataURL(scan, { margin: 1, width: 240 }) : undefined,
      openUrl: result.payUrl ?? result.h5Url ?? scan,
    };
  } catch (e) {
    const r = actionError(e, "支付暂时不可用，请稍后再试 / Payment is unavailable, try again later");
    return { ok: false, message: r.message ?? "error" };
  }
}

/** The page's poll: asks the gateway about pending payments (a lost notify still confirms) and returns the status. */
export async function pollPaymentAction(bookingId: string): Promise<{ status: string }> {
  const actor = await sessionActor();
  const db = getDb();
  const id = z.uuid().parse(bookingId);
  await loadOwnBooking(db, id, actor);
  await reconcileBooking(db, id);
  return { status: (await loadOwnBooking(db, id, actor)).status };
}
