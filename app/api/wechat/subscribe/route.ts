import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { auth } from "@/lib/auth";
import { localPath, newOAuthState, WECHAT_STATE_MAX_AGE_S, WECHAT_SUBSCRIBE_COOKIE } from "@/lib/auth/wechat-sign-in";
import { appUrl } from "@/lib/env";
import { subscribeConfirmUrl, wechatTemplates } from "@/lib/notifications/wechat-subscribe";
import { wechatConfig } from "@/lib/wechat/config";

export const dynamic = "force-dynamic";

/**
 * "Notify me on WeChat" on the booking page: sends the customer to WeChat's one-time subscribe page
 * for the event's template (`event=booking_confirmed|reminder`); WeChat comes back to the callback.
 */
export async function GET(req: NextRequest) {
  const q = req.nextUrl.searchParams;
  const back = localPath(q.get("callbackUrl"));
  const session = await auth();
  const app = wechatConfig().official;
  const event = q.get("event") === "booking_confirmed" ? "booking_confirmed" : "reminder";
  const templateId = (await wechatTemplates(getDb()))[event];
  if (!session?.user?.id || !app || !templateId) return NextResponse.redirect(new URL(back, appUrl()), 303);
  const { state, cookie } = newOAuthState(back);
  const res = NextResponse.redirect(
    subscribeConfirmUrl({
      openBaseUrl: app.openBaseUrl,
      appId: app.appId,
      templateId,
      redirectUrl: `${appUrl().replace(/\/+$/, "")}/api/wechat/subscribe/callback`,
      reserved: state,
    }),
    303,
  );
  res.cookies.set(WECHAT_SUBSCRIBE_COOKIE, cookie, {
    httpOnly: true,
    sameSite: "lax",
    path: "/api/wechat",
    maxAge: WECHAT_STATE_MAX_AGE_S,
  });
  return res;
}
