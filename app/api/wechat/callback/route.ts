import { cookies } from "next/headers";
import { NextResponse, type NextRequest } from "next/server";
import { auth, signIn } from "@/lib/auth";
import { checkOAuthState, signInWithWechatOAuth, WECHAT_PROVIDER, WECHAT_STATE_COOKIE, wechatTicket } from "@/lib/auth/wechat-sign-in";
import { errorToResponse } from "@/lib/api/handler";
import { appUrl } from "@/lib/env";
import { AppError, isAppError } from "@/lib/errors";
import { apiLocale } from "@/lib/i18n/config";
import { wechatConfig } from "@/lib/wechat/config";

export const dynamic = "force-dynamic";

/**
 * WeChat's redirect after authorising: the state must match this browser's cookie (a code planted
 * from elsewhere is refused), the code is exchanged for the openid, and the customer is signed in
 * and sent where they were going. A customer who declined the nickname prompt goes back unsigned;
 * a new one who did not accept the privacy policy goes back to the sign-in page to accept it.
 */
export async function GET(req: NextRequest) {
  const q = req.nextUrl.searchParams;
  let callbackUrl = "/me";
  let privacyConsent: boolean;
  let ticket: string;
  try {
    // Read from the request: the state cookie is checked before anything else touches the session.
    ({ callbackUrl, privacyConsent } = checkOAuthState(req.cookies.get(WECHAT_STATE_COOKIE)?.value, q.get("state")));
    (await cookies()).delete({ name: WECHAT_STATE_COOKIE, path: "/api/wechat" });
    const code = q.get("code");
    if (!code) return NextResponse.redirect(new URL(`/signin?${new URLSearchParams({ callbackUrl })}`, appUrl()), 303);
    const app = wechatConfig().official;
    if (!app) throw new AppError("UNAVAILABLE", "wechatUnreachable");
    const session = await auth();
    const { user } = await signInWithWechatOAuth(app, code, session?.user?.id, privacyConsent);
    ticket = wechatTicket(user.id);
  } catch (e) {
    // A first sign-in without the privacy policy accepted: back to the sign-in page, which asks for it.
    if (isAppError(e) && e.key === "privacyConsentRequired")
      return NextResponse.redirect(new URL(`/signin?${new URLSearchParams({ callbackUrl, consent: "required" })}`, appUrl()), 303);
    return errorToResponse(e, "wechat oauth callback", apiLocale(req.headers.get("accept-language"), null));
  }
  // Throws Next's redirect to callbackUrl once the session cookie is set.
  return signIn(WECHAT_PROVIDER, { ticket, redirectTo: callbackUrl });
}
