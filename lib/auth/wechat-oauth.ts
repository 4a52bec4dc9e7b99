import "server-only";
import { eq, or } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { users, type User } from "@/db/schema";
import { audit } from "@/lib/audit";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

/**
 * WeChat official-account (公众号) web OAuth inside the WeChat browser: the page sends the visitor to
 * open.weixin.qq.com's authorize URL (snsapi_base: silent, openid only; snsapi_userinfo: the
 * customer agrees, nickname too), WeChat comes back with `code`, and the server exchanges it at
 * api.weixin.qq.com/sns/oauth2/access_token for the openid (and unionid when the account is bound
 * to an open platform). The openid is what JSAPI payment needs as `payer.openid`.
 */

export type WechatOAuthConfig = { appId: string; appSecret: string; apiBaseUrl?: string; timeoutMs?: number };
export type WechatScope = "snsapi_base" | "snsapi_userinfo";

export const WECHAT_API_BASE = "https://api.weixin.qq.com";

/** The official account is the one WeChat Pay JSAPI charges through, so its AppID is WECHATPAY_APPID; null when not configured. */
export function wechatOAuthConfigFromEnv(): WechatOAuthConfig | null {
  if (!env.WECHATPAY_APPID || !env.WECHAT_APP_SECRET) return null;
  return { appId: env.WECHATPAY_APPID, appSecret: env.WECHAT_APP_SECRET, apiBaseUrl: env.WECHAT_API_BASE_URL };
}

export function wechatAuthorizeUrl(input: { appId: string; redirectUri: string; scope: WechatScope; state: string }): string {
  const q = new URLSearchParams({
    appid: input.appId,
    redirect_uri: input.redirectUri,
    response_type: "code",
    scope: input.scope,
    state: input.state,
  });
  return `https://open.weixin.qq.com/connect/oauth2/authorize?${q}#wechat_redirect`;
}

const wechatError = z.object({ errcode: z.number().int(), errmsg: z.string().optional() });
const tokenAnswer = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().int(),
  openid: z.string().min(1),
  scope: z.string(),
  unionid: z.string().min(1).optional(),
});
const userInfoAnswer = z.object({
  openid: z.string(),
  nickname: z.string().optional(),
  headimgurl: z.string().optional(),
  unionid: z.string().optional(),
});

export type WechatIdentity = { openid: string; unionid?: string; scope: string; accessToken: string };

async function getJson(config: WechatOAuthConfig, path: string, query: Record<string, string>): Promise<unknown> {
  const url = `${(config.apiBaseUrl ?? WECHAT_API_BASE).replace(/\/$/, "")}${path}?${new URLSearchParams(query)}`;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(config.timeoutMs ?? 5000) });
  } catch (cause) {
    throw new AppError("UNAVAILABLE", "wechatUnreachable", { cause: String(cause) });
  }
  if (!res.ok) throw new AppError("UNAVAILABLE", "wechatHttp", undefined, { status: String(res.status) });
  // WeChat answers errors as HTTP 200 with errcode (40029 invalid code, 40163 code used, 40125 bad secret …).
  const body: unknown = await res.json();
  const error = wechatError.safeParse(body);
  if (error.success && error.data.errcode !== 0) {
    throw new AppError("INVALID_CREDENTIALS", "wechatSignInFailed", undefined, {
      errcode: String(error.data.errcode),
      errmsg: error.data.errmsg ?? "",
    });
  }
  return body;
}

/** The `code` WeChat returned to the redirect URI → openid (+ unionid). A code works once, for 5 minutes. */
export async function exchangeOAuthCode(config: WechatOAuthConfig, code: string): Promise<WechatIdentity> {
  const body = await getJson(config, "/sns/oauth2/access_token", {
    appid: config.appId,
    secret: config.appSecret,
    code,
    grant_type: "authorization_code",
  });
  const parsed = tokenAnswer.safeParse(body);
  if (!parsed.success) throw new AppError("UNAVAILABLE", "wechatBadAnswer");
  return { openid: parsed.data.openid, unionid: parsed.data.unionid, scope: parsed.data.scope, accessToken: parsed.data.access_token };
}

/** Nickname (snsapi_userinfo only). */
export async function fetchWechatNickname(config: WechatOAuthConfig, identity: WechatIdentity): Promise<string | undefined> {
  if (!identity.scope.includes("snsapi_userinfo")) return undefined;
  const body = await getJson(config, "/sns/userinfo", { access_token: identity.accessToken, openid: identity.openid, lang: "zh_CN" });
  return userInfoAnswer.safeParse(body).data?.nickname;
}

/**
 * The customer behind a WeChat identity: found by openid or unionid (storing whichever was
 * missing), else created as a customer with no phone yet. One customer record across WeChat and
 * phone: `bindWechatIdentity` attaches the openid to the phone account once the phone is verified.
 */
export async function accountForWechat(tx: DbOrTx, identity: WechatIdentity, nickname?: string): Promise<{ user: User; created: boolean }> {
  const match = identity.unionid
    ? or(eq(users.wechatOpenid, identity.openid), eq(users.wechatUnionid, identity.unionid))
    : eq(users.wechatOpenid, identity.openid);
  const [found] = await tx.select().from(users).where(match).limit(1).for("update");
  if (found) {
    const [user] = await tx
      .update(users)
      .set({ wechatOpenid: identity.openid, wechatUnionid: identity.unionid ?? found.wechatUnionid })
      .where(eq(users.id, found.id))
      .returning();
    return { user: user ?? found, created: false };
  }
  const [inserted] = await tx
    .insert(users)
    .values({
      name: nickname?.slice(0, 60) || "微信用户",
      wechatOpenid: identity.openid,
      wechatUnionid: identity.unionid ?? null,
      role: "customer",
    })
    .onConflictDoNothing({ target: users.wechatOpenid })
    .returning();
  if (inserted) {
    await audit(tx, {
      actorId: inserted.id,
      action: "user.registered",
      entityType: "user",
      entityId: inserted.id,
      data: { via: "wechat" },
    });
    return { user: inserted, created: true };
  }
  const [raced] = await tx.select().from(users).where(eq(users.wechatOpenid, identity.openid)).limit(1);
  if (!raced) throw new AppError("INTERNAL", "WeChat account not found after a conflicting insert");
  return { user: raced, created: false };
}

/** Attaches a WeChat identity to a (phone-verified) account; refuses one already bound to another customer. */
export async function bindWechatIdentity(tx: DbOrTx, userId: string, identity: Pick<WechatIdentity, "openid" | "unionid">): Promise<User> {
  const [other] = await tx.select({ id: users.id }).from(users).where(eq(users.wechatOpenid, identity.openid)).limit(1);
  if (other && other.id !== userId) throw new AppError("CONFLICT", "wechatBound");
  const [user] = await tx
    .update(users)
    .set({ wechatOpenid: identity.openid, ...(identity.unionid ? { wechatUnionid: identity.unionid } : {}) })
    .where(eq(users.id, userId))
    .returning();
  if (!user) throw new AppError("NOT_FOUND", "accountNotFound");
  return user;
}
