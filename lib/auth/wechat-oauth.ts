import "server-only";
import { eq, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { users, type User } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { parseAnswer, WechatApiError, wechatGet } from "@/lib/wechat/api";
import type { WechatApp } from "@/lib/wechat/config";
import { recordConsentIfMissing } from "@/lib/pii/consent";
import { insertCustomerOnce } from "./customer-account";

/**
 * WeChat sign-in. Official account (公众号) web OAuth inside the WeChat browser: the page sends the
 * visitor to open.weixin.qq.com's authorize URL (snsapi_base: silent, openid only; snsapi_userinfo:
 * the customer agrees, nickname too), WeChat comes back with `code`, and the server exchanges it at
 * /sns/oauth2/access_token for the openid (and unionid when the account is bound to an open
 * platform). The openid is what JSAPI payment needs as `payer.openid`. Mini-programs (小程序) send
 * a `wx.login` code instead, exchanged at /sns/jscode2session.
 */
export type WechatScope = "snsapi_base" | "snsapi_userinfo";

export function wechatAuthorizeUrl(input: {
  appId: string;
  openBaseUrl: string;
  redirectUri: string;
  scope: WechatScope;
  state: string;
}): string {
  const q = new URLSearchParams({
    appid: input.appId,
    redirect_uri: input.redirectUri,
    response_type: "code",
    scope: input.scope,
    state: input.state,
  });
  return `${input.openBaseUrl.replace(/\/+$/, "")}/connect/oauth2/authorize?${q}#wechat_redirect`;
}

const tokenAnswer = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().int(),
  openid: z.string().min(1),
  scope: z.string(),
  unionid: z.string().min(1).optional(),
});
const userInfoAnswer = z.object({ openid: z.string(), nickname: z.string().optional(), unionid: z.string().optional() });
const sessionAnswer = z.object({ openid: z.string().min(1), session_key: z.string().min(1), unionid: z.string().min(1).optional() });

export type WechatIdentity = { openid: string; unionid?: string; scope: string; accessToken: string };
export type WechatMiniIdentity = { miniOpenid: string; unionid?: string };

/** WeChat refused the code (unknown, used, expired, wrong app): 401; no answer at all: 503. */
async function asSignIn<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof WechatApiError)) throw e;
    if (e.errcode === null) throw new AppError("UNAVAILABLE", "wechatUnreachable", { cause: e.message });
    throw new AppError("INVALID_CREDENTIALS", "wechatSignInFailed", undefined, { errcode: String(e.errcode) });
  }
}

/** The `code` WeChat returned to the redirect URI → openid (+ unionid). A code works once, for 5 minutes. */
export function exchangeOAuthCode(app: WechatApp, code: string): Promise<WechatIdentity> {
  const path = "/sns/oauth2/access_token";
  return asSignIn(async () => {
    const a = parseAnswer(
      tokenAnswer,
      await wechatGet(app, path, { appid: app.appId, secret: app.appSecret, code, grant_type: "authorization_code" }),
      path,
    );
    return { openid: a.openid, unionid: a.unionid, scope: a.scope, accessToken: a.access_token };
  });
}

/** Nickname (snsapi_userinfo only). */
export async function fetchWechatNickname(app: WechatApp, identity: WechatIdentity): Promise<string | undefined> {
  if (!identity.scope.includes("snsapi_userinfo")) return undefined;
  const path = "/sns/userinfo";
  return asSignIn(async () => {
    const answer = await wechatGet(app, path, { access_token: identity.accessToken, openid: identity.openid, lang: "zh_CN" });
    return parseAnswer(userInfoAnswer, answer, path).nickname;
  });
}

/** A mini-program's `wx.login` code → its openid (+ unionid). The session_key stays on the server side of WeChat's answer. */
export function exchangeMiniCode(app: WechatApp, code: string): Promise<WechatMiniIdentity> {
  const path = "/sns/jscode2session";
  return asSignIn(async () => {
    const a = parseAnswer(
      sessionAnswer,
      await wechatGet(app, path, { appid: app.appId, secret: app.appSecret, js_code: code, grant_type: "authorization_code" }),
      path,
    );
    return { miniOpenid: a.openid, unionid: a.unionid };
  });
}

type Found = { user: User; created: boolean };

/**
 * One customer across WeChat apps: found by this app's openid or by the unionid (storing whichever
 * was missing), else created as a customer with no phone yet (only with the privacy policy accepted,
 * `consented`; an existing account lacking that consent gets it recorded). Locked, and the insert
 * yields to a parallel first sign-in of the same openid, so two requests end in one account.
 */
async function findOrCreate(
  tx: DbOrTx,
  match: SQL,
  set: Partial<typeof users.$inferInsert>,
  create: () => Promise<User | null>,
  again: SQL,
  consented: boolean,
): Promise<Found> {
  const [found] = await tx.select().from(users).where(match).limit(1).for("update");
  if (found) {
    const [user] = await tx.update(users).set(set).where(eq(users.id, found.id)).returning();
    if (consented) await recordConsentIfMissing(tx, user ?? found);
    return { user: user ?? found, created: false };
  }
  const inserted = await create();
  if (inserted) return { user: inserted, created: true };
  const [raced] = await tx.select().from(users).where(again).limit(1);
  if (!raced) throw new AppError("INTERNAL", "WeChat account not found after a conflicting insert");
  return { user: raced, created: false };
}

export function accountForWechat(
  tx: DbOrTx,
  identity: Pick<WechatIdentity, "openid" | "unionid">,
  nickname: string | undefined,
  consented: boolean,
): Promise<Found> {
  const byOpenid = eq(users.wechatOpenid, identity.openid);
  return findOrCreate(
    tx,
    identity.unionid ? or(byOpenid, eq(users.wechatUnionid, identity.unionid))! : byOpenid,
    { wechatOpenid: identity.openid, ...(identity.unionid ? { wechatUnionid: identity.unionid } : {}) },
    () =>
      insertCustomerOnce(
        tx,
        { name: nickname?.slice(0, 60) || "微信用户", wechatOpenid: identity.openid, wechatUnionid: identity.unionid ?? null },
        users.wechatOpenid,
        "wechat",
        consented,
      ),
    byOpenid,
    consented,
  );
}

export function accountForWechatMini(tx: DbOrTx, identity: WechatMiniIdentity, consented: boolean): Promise<Found> {
  const byOpenid = eq(users.wechatMiniOpenid, identity.miniOpenid);
  return findOrCreate(
    tx,
    identity.unionid ? or(byOpenid, eq(users.wechatUnionid, identity.unionid))! : byOpenid,
    { wechatMiniOpenid: identity.miniOpenid, ...(identity.unionid ? { wechatUnionid: identity.unionid } : {}) },
    () =>
      insertCustomerOnce(
        tx,
        { name: "微信用户", wechatMiniOpenid: identity.miniOpenid, wechatUnionid: identity.unionid ?? null },
        users.wechatMiniOpenid,
        "wechat_mini",
        consented,
      ),
    byOpenid,
    consented,
  );
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

/** The official-account openid JSAPI payment needs (null until the customer opened the site in WeChat). */
export async function wechatOpenidOf(db: DbOrTx, userId: string): Promise<string | undefined> {
  const [row] = await db.select({ openid: users.wechatOpenid }).from(users).where(eq(users.id, userId)).limit(1);
  return row?.openid ?? undefined;
}
