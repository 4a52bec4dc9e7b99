"use server";

import { headers } from "next/headers";
import QRCode from "qrcode";
import { z } from "zod";
import { getDb } from "@/db/client";
import { parseInput, runAction, type ActionResult } from "@/lib/actions";
import { loadOwnBooking } from "@/lib/booking/cancel-booking";
import { bookingBalance } from "@/lib/booking/money-facts";
import { reconcileBookingPayments } from "@/lib/booking/payments";
import { startPayment } from "@/lib/booking/pay-booking";
import { clientIp, consumeLimits, paymentAttemptLimits } from "@/lib/rate-limit";
import { payBookingSchema } from "@/lib/validations/payment";
import { wechatOpenidOf } from "@/lib/auth/wechat-oauth";
import { AppError } from "@/lib/errors";
import { isWechatBrowser } from "@/lib/wechat/user-agent";
import type { PayState } from "@/components/payments/pay-panel";

/**
 * Starts one payment attempt: inside WeChat, WeChat Pay is JSAPI with the customer's openid (the
 * page hands the signed arguments to WeixinJSBridge); other phones get a link that opens the
 * wallet (H5/WAP), desktop a QR code to scan.
 */
export async function startPayAction(bookingId: string, input: { provider: string; mobile: boolean }): Promise<PayState> {
  return runAction({ auth: "user" }, async (user) => {
    const provider = parseInput(payBookingSchema.shape.provider, input?.provider);
    const id = parseInput(z.uuid(), bookingId);
    const h = await headers();
    const jsapi = provider === "wechat" && isWechatBrowser(h.get("user-agent"));
    const openid = jsapi ? await wechatOpenidOf(getDb(), user.id) : undefined;
    if (jsapi && !openid) throw new AppError("INVALID_STATE", "wechatNoOpenid");
    await consumeLimits(paymentAttemptLimits(id));
    const result = await startPayment({
      bookingId: id,
      actor: { id: user.id, role: user.role },
      provider,
      channel: jsapi ? "jsapi" : input?.mobile === true ? "mobile_web" : "qr",
      clientIp: clientIp(h),
      openid,
    });
    const scan = result.codeUrl;
    return {
      ok: true,
      data: {
        outTradeNo: result.payment.outTradeNo,
        amountFen: result.payment.amountFen,
        qrDataUrl: scan ? await QRCode.toDataURL(scan, { margin: 1, width: 240 }) : undefined,
        openUrl: result.payUrl ?? result.h5Url ?? scan,
        jsapi: result.jsapiParams,
      },
    };
  });
}

/** The page's poll: asks the gateway about pending payments (a lost notify still confirms) and returns the status. */
export async function pollPaymentAction(bookingId: string): Promise<ActionResult & { status?: string }> {
  return runAction<ActionResult & { status?: string }, "user">({ auth: "user" }, async (user) => {
    const actor = { id: user.id, role: user.role };
    const db = getDb();
    const id = parseInput(z.uuid(), bookingId);
    await loadOwnBooking(db, id, actor);
    await reconcileBookingPayments(db, id);
    return { ok: true, status: (await loadOwnBooking(db, id, actor)).status };
  });
}

/**
 * The poll of a balance payment (the booking is already confirmed): "confirmed" once nothing is due,
 * "balance_due" while the rest is still owed, so the pay panel waits for this payment, not the first.
 */
export async function pollBalanceAction(bookingId: string): Promise<ActionResult & { status?: string }> {
  return runAction<ActionResult & { status?: string }, "user">({ auth: "user" }, async (user) => {
    const actor = { id: user.id, role: user.role };
    const db = getDb();
    const id = parseInput(z.uuid(), bookingId);
    await loadOwnBooking(db, id, actor);
    await reconcileBookingPayments(db, id);
    const booking = await loadOwnBooking(db, id, actor);
    const { balanceFen } = await bookingBalance(db, booking);
    return { ok: true, status: booking.status === "confirmed" && balanceFen > 0 ? "balance_due" : booking.status };
  });
}
