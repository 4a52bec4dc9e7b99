import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { issueApiToken } from "@/lib/auth/api-tokens";
import { toPublicUser } from "@/lib/auth/register-user";
import { signInWithWechatMini } from "@/lib/auth/wechat-sign-in";
import { AppError } from "@/lib/errors";
import { wechatSignInSchema } from "@/lib/validations/wechat";
import { wechatConfig } from "@/lib/wechat/config";

/**
 * Mini-program sign-in: the `wx.login` code → code2session → the customer (created on first use,
 * which needs `privacyConsent: true`) and an API token.
 */
// No per-address limit: each code is issued by WeChat to a signed-in WeChat user and works once.
export const POST = apiRoute({ auth: "none", body: wechatSignInSchema }, async ({ body }) => {
  const app = wechatConfig().mini;
  if (!app) throw new AppError("UNAVAILABLE", "wechatNotConfigured");
  const { user, created } = await signInWithWechatMini(app, body.code, body.privacyConsent === true);
  const { token } = await issueApiToken(user.id, "wechat");
  return NextResponse.json({ user: toPublicUser(user), token, created }, { status: 200 });
});
