"use server";

import { headers } from "next/headers";
import QRCode from "qrcode";
import { z } from "zod";
import { getDb } from "@/db/client";
import { parseInput, runAction, type ActionResult } from "@/lib/actions";
import { reconcileSeriesPayments } from "@/lib/booking/payments";
import { startSeriesPayment } from "@/lib/booking/pay-series";
import { getSeriesView } from "@/lib/booking/series-queries";
import { clientIp, consumeLimits, paymentAttemptLimits } from "@/lib/rate-limit";
import { payBookingSchema } from "@/lib/validations/payment";
import { wechatOpenidOf } from "@/lib/auth/wechat-oauth";
import { AppError } from "@/lib/errors";
import { isWechatBrowser } from "@/lib/wechat/user-agent";
import type { PayState } from "@/components/payments/pay-panel";

/** One payment attempt for the whole series, on the same channels as a single booking's. */
export async function startSeriesPayAction(seriesId: string, input: { provider: string; mobile: boolean }): Promise<PayState> {
  return runAction({ auth: "user" }, async (user) => {
    const provider = parseInput(payBookingSchema.shape.provider, input?.provider);
    const id = parseInput(z.uuid(), seriesId);
    const h = await headers();
    const jsapi = provider === "wechat" && isWechatBrowser(h.get("user-agent"));
    const openid = jsapi ? await wechatOpenidOf(getDb(), user.id) : undefined;
    if (jsapi && !openid) throw new AppError("INVALID_STATE", "wechatNoOpenid");
    await consumeLimits(paymentAttemptLimits(id));
    const result = await startSeriesPayment({
      seriesId: id,
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

/** The page's poll: asks the gateway about the series' pending payments, then the series' status. */
export async function pollSeriesPaymentAction(seriesId: string): Promise<ActionResult & { status?: string }> {
  return runAction<ActionResult & { status?: string }, "user">({ auth: "user" }, async (user) => {
    const actor = { id: user.id, role: user.role };
    const db = getDb();
    const id = parseInput(z.uuid(), seriesId);
    await getSeriesView(db, id, actor);
    await reconcileSeriesPayments(db, id);
    return { ok: true, status: (await getSeriesView(db, id, actor)).status };
  });
}
