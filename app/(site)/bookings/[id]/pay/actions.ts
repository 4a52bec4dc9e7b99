"use server";

import { headers } from "next/headers";
import QRCode from "qrcode";
import { z } from "zod";
import { getDb } from "@/db/client";
import { parseInput, runAction, type ActionResult } from "@/lib/actions";
import { loadOwnBooking } from "@/lib/booking/cancel-booking";
import { reconcileBookingPayments } from "@/lib/booking/payments";
import { startPayment } from "@/lib/booking/pay-booking";
import { clientIp, consumeLimits, paymentAttemptLimits } from "@/lib/rate-limit";
import { payBookingSchema } from "@/lib/validations/payment";
import type { PayState } from "@/components/payments/pay-panel";

/** Starts one payment attempt; desktop gets a QR code to scan, phones a link that opens the wallet. */
export async function startPayAction(bookingId: string, input: { provider: string; mobile: boolean }): Promise<PayState> {
  return runAction({ auth: "user" }, async (user) => {
    const provider = parseInput(payBookingSchema.shape.provider, input?.provider);
    const id = parseInput(z.uuid(), bookingId);
    await consumeLimits(paymentAttemptLimits(id));
    const result = await startPayment({
      bookingId: id,
      actor: { id: user.id, role: user.role },
      provider,
      channel: input?.mobile === true ? "mobile_web" : "qr",
      clientIp: clientIp(await headers()),
    });
    const scan = result.codeUrl;
    return {
      ok: true,
      data: {
        outTradeNo: result.payment.outTradeNo,
        amountFen: result.payment.amountFen,
        qrDataUrl: scan ? await QRCode.toDataURL(scan, { margin: 1, width: 240 }) : undefined,
        openUrl: result.payUrl ?? result.h5Url ?? scan,
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
