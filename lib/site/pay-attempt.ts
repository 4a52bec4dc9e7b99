import "server-only";

import { headers } from "next/headers";
import QRCode from "qrcode";
import { getDb } from "@/db/client";
import { wechatOpenidOf } from "@/lib/auth/wechat-oauth";
import { AppError } from "@/lib/errors";
import type { PaymentDto } from "@/lib/payments/start-payment";
import type { CreateOrderResult, PayChannel } from "@/lib/payments/types";
import { clientIp } from "@/lib/rate-limit";
import { wechatConfig } from "@/lib/wechat/config";
import { isWechatBrowser } from "@/lib/wechat/user-agent";
import type { PayState } from "./types";

/**
 * Where a payment attempt of the site's pay pages is made: inside WeChat, WeChat Pay is JSAPI with
 * the customer's openid (the page hands the signed arguments to WeixinJSBridge; WeChat refuses H5
 * pay in its own browser); other phones get a link that opens the wallet (H5/WAP), desktop a QR code.
 */
export async function payAttemptChannel(userId: string, provider: string, mobile: unknown) {
  const h = await headers();
  const jsapi = provider === "wechat" && isWechatBrowser(h.get("user-agent"));
  const openid = jsapi ? await wechatOpenidOf(getDb(), userId) : undefined;
  if (jsapi && !openid) throw new AppError("INVALID_STATE", "wechatNoOpenid");
  // PayPal approves on its own page: a link on every device, never a QR to scan.
  const channel: PayChannel = jsapi ? "jsapi" : mobile === true ? "mobile_web" : provider === "paypal" ? "page" : "qr";
  return { channel, openid, clientIp: clientIp(h) };
}

/** The pay panel's view of a started gateway order: the QR code drawn here, the link a phone opens, the JSAPI arguments. */
export async function payState(result: { payment: PaymentDto } & CreateOrderResult): Promise<PayState> {
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
}

/**
 * A pay page opened in WeChat's browser: WeChat Pay goes by JSAPI there, which needs the customer's
 * openid. Without one bound to the account, `openidHref` is the silent OAuth (snsapi_base) round
 * trip that binds it and comes back to `path`.
 */
export async function wechatPayPage(userId: string, path: string): Promise<{ inWechat: boolean; openidHref: string | null }> {
  const inWechat = isWechatBrowser((await headers()).get("user-agent"));
  const needsOpenid = inWechat && wechatConfig().official && !(await wechatOpenidOf(getDb(), userId));
  return { inWechat, openidHref: needsOpenid ? `/api/wechat/oauth?${new URLSearchParams({ callbackUrl: path })}` : null };
}
