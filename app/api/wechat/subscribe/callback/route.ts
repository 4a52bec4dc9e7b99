import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { errorToResponse } from "@/lib/api/handler";
import { auth } from "@/lib/auth";
import { checkOAuthState, WECHAT_SUBSCRIBE_COOKIE } from "@/lib/auth/wechat-sign-in";
import { wechatOpenidOf } from "@/lib/auth/wechat-oauth";
import { appUrl } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { apiLocale } from "@/lib/i18n/config";
import { acceptSubscribeConsent } from "@/lib/notifications/wechat-subscribe";

export const dynamic = "force-dynamic";

/** WeChat's redirect after the one-time subscribe page: `reserved` must match this browser's state cookie. */
export async function GET(req: NextRequest) {
  const q = req.nextUrl.searchParams;
  try {
    const { callbackUrl } = checkOAuthState(req.cookies.get(WECHAT_SUBSCRIBE_COOKIE)?.value, q.get("reserved"));
    const session = await auth();
    if (!session?.user?.id) throw new AppError("UNAUTHENTICATED", "signIn");
    const db = getDb();
    const granted = await acceptSubscribeConsent(db, {
      userId: session.user.id,
      userOpenid: (await wechatOpenidOf(db, session.user.id)) ?? null,
      openid: q.get("openid") ?? "",
      templateId: q.get("template_id") ?? "",
      action: q.get("action") ?? "",
    });
    const back = new URL(callbackUrl, appUrl());
    back.searchParams.set("wechatNotice", granted ? "on" : "off");
    const res = NextResponse.redirect(back, 303);
    res.cookies.delete({ name: WECHAT_SUBSCRIBE_COOKIE, path: "/api/wechat" });
    return res;
  } catch (e) {
    return errorToResponse(e, "wechat subscribe callback", apiLocale(req.headers.get("accept-language"), null));
  }
}
