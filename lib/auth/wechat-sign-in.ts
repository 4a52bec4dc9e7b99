import "server-only";
import { eq } from "drizzle-orm";
import Credentials from "next-auth/providers/credentials";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { getDb, type Db } from "@/db/client";
import { users, type User } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { WechatApp } from "@/lib/wechat/config";
import { authSecret } from "./secret";
import {
  accountForWechat,
  accountForWechatMini,
  bindWechatIdentity,
  exchangeMiniCode,
  exchangeOAuthCode,
  fetchWechatNickname,
} from "./wechat-oauth";

export const WECHAT_PROVIDER = "wechat";
/** The OAuth round trip's state, bound to this browser (CSRF): `<state>.<callbackUrl, base64url>`. */
export const WECHAT_STATE_COOKIE = "yy_wechat_oauth";
export const WECHAT_STATE_MAX_AGE_S = 600;
/** The same for the one-time subscribe round trip (its `reserved` parameter carries the state). */
export const WECHAT_SUBSCRIBE_COOKIE = "yy_wechat_subscribe";

const mac = (text: string) => createHmac("sha256", authSecret()).update(`wechat:${text}`).digest("base64url");

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A local path only (never another site): the slot being booked, the pay page … */
export const localPath = (v: string | null | undefined, fallback = "/me") =>
  typeof v === "string" && v.startsWith("/") && !v.startsWith("//") && !v.startsWith("/\\") ? v : fallback;

/** The cookie also carries whether the sign-in form's privacy checkbox was ticked (`.1`). */
export function newOAuthState(callbackUrl: string, privacyConsent = false): { state: string; cookie: string } {
  const state = randomBytes(16).toString("base64url");
  return { state, cookie: `${state}.${Buffer.from(localPath(callbackUrl)).toString("base64url")}.${privacyConsent ? 1 : 0}` };
}

/** The callback's `state` against the cookie set when the round trip began: a mismatch is refused (403). */
export function checkOAuthState(cookie: string | undefined, state: string | null): { callbackUrl: string; privacyConsent: boolean } {
  const [expected, encoded, consent] = (cookie ?? "").split(".");
  if (!expected || !state || !same(expected, state)) throw new AppError("FORBIDDEN", "wechatStateMismatch");
  return { callbackUrl: localPath(Buffer.from(encoded ?? "", "base64url").toString("utf8")), privacyConsent: consent === "1" };
}

/**
 * The WeChat browser came back with a code. A signed-in customer (say, by phone) gets the openid
 * bound to their account, so one customer record carries both; otherwise the account of that
 * openid/unionid is found or created (created only with the privacy policy accepted).
 */
export async function signInWithWechatOAuth(
  app: WechatApp,
  code: string,
  signedInUserId?: string,
  privacyConsent = false,
  db: Db = getDb(),
): Promise<{ user: User; created: boolean }> {
  const identity = await exchangeOAuthCode(app, code);
  const nickname = await fetchWechatNickname(app, identity);
  return db.transaction(async (tx) => {
    if (signedInUserId) {
      const [me] = await tx.select({ role: users.role }).from(users).where(eq(users.id, signedInUserId)).limit(1);
      if (me?.role === "customer") return { user: await bindWechatIdentity(tx, signedInUserId, identity), created: false };
    }
    return accountForWechat(tx, identity, nickname, privacyConsent);
  });
}

/**
 * Mini-program sign-in (POST /api/v1/auth/wechat): the `wx.login` code → the customer, created on
 * first use when the privacy policy was accepted (else 400, and the app asks again with a new code).
 */
export async function signInWithWechatMini(
  app: WechatApp,
  code: string,
  privacyConsent = false,
  db: Db = getDb(),
): Promise<{ user: User; created: boolean }> {
  const identity = await exchangeMiniCode(app, code);
  return db.transaction((tx) => accountForWechatMini(tx, identity, privacyConsent));
}

const TICKET_TTL_MS = 60_000;

/**
 * After the callback proved the WeChat identity: a ticket for the `wechat` provider, which starts
 * the site session. It passes inside the server (next-auth's signIn calls the provider in-process),
 * lives a minute, and is bound to the account by the app's secret.
 */
export function wechatTicket(userId: string, now = Date.now()): string {
  const body = `${userId}.${now + TICKET_TTL_MS}`;
  return `${body}.${mac(body)}`;
}

function ticketUser(ticket: string, now = Date.now()): string | null {
  const [userId, expires, sig] = ticket.split(".");
  if (!userId || !expires || !sig || !same(sig, mac(`${userId}.${expires}`))) return null;
  return Number(expires) > now ? userId : null;
}

export function wechatProvider() {
  return Credentials({
    id: WECHAT_PROVIDER,
    name: "WeChat",
    credentials: { ticket: {} },
    async authorize(raw) {
      const parsed = z.object({ ticket: z.string().max(300) }).safeParse(raw);
      const userId = parsed.success ? ticketUser(parsed.data.ticket) : null;
      if (!userId || !z.uuid().safeParse(userId).success) return null;
      const [user] = await getDb().select().from(users).where(eq(users.id, userId)).limit(1);
      if (!user) return null;
      return { id: user.id, name: user.name, email: user.email, role: user.role, locale: user.locale, sessionVersion: user.sessionVersion };
    },
  });
}
