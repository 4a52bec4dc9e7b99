import { NextResponse, type NextRequest } from "next/server";
import { localPath, newOAuthState, WECHAT_STATE_COOKIE, WECHAT_STATE_MAX_AGE_S } from "@/lib/auth/wechat-sign-in";
import { wechatAuthorizeUrl } from "@/lib/auth/wechat-oauth";
import { appUrl } from "@/lib/env";
import { wechatConfig } from "@/lib/wechat/config";

export const dynamic = "force-dynamic";

/**
 * Starts WeChat sign-in inside the WeChat browser: `?scope=userinfo` when the customer chose to
 * share nickname (snsapi_userinfo), otherwise silent (snsapi_base, openid only); `callbackUrl` is
 * where they go after (the slot being booked, the pay page); `privacyConsent=on` when the privacy
 * policy was accepted. The state is kept in a cookie of this browser and checked by the callback.
 */
export function GET(req: NextRequest) {
  const q = req.nextUrl.searchParams;
  const callbackUrl = localPath(q.get("callbackUrl"));
  const app = wechatConfig().official;
  if (!app) return NextResponse.redirect(new URL(`/signin?${new URLSearchParams({ callbackUrl })}`, appUrl()), 303);
  // The sign-in form's privacy checkbox: a first sign-in creates the account only with it.
  const { state, cookie } = newOAuthState(callbackUrl, q.get("privacyConsent") === "on");
  const target = wechatAuthorizeUrl({
    appId: app.appId,
    openBaseUrl: app.openBaseUrl,
    redirectUri: `${appUrl().replace(/\/+$/, "")}/api/wechat/callback`,
    scope: q.get("scope") === "userinfo" ? "snsapi_userinfo" : "snsapi_base",
    state,
  });
  const res = NextResponse.redirect(target, 303);
  res.cookies.set(WECHAT_STATE_COOKIE, cookie, {
    httpOnly: true,
    sameSite: "lax",
    secure: appUrl().startsWith("https:"),
    path: "/api/wechat",
    maxAge: WECHAT_STATE_MAX_AGE_S,
  });
  return res;
}
