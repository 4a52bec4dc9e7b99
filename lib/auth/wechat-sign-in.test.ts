import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, notifications, users } from "@/db/schema";
import { changePhoneWithCode } from "./phone-account";
import { userFromBearer } from "@/lib/auth/api-tokens";
import type { WechatConfig } from "@/lib/wechat/config";
import { codeOf, makeCustomer, storedCodeFor } from "@/tests/fixtures";
import { setupTestDb, uniq } from "@/tests/db";
import { startHarness, type Harness } from "@/tests/payment-harness";
import { callRoute } from "@/tests/routes";
import { checkOAuthState, newOAuthState, signInWithWechatOAuth, wechatTicket } from "./wechat-sign-in";
import { PRIVACY_POLICY_VERSION } from "@/lib/pii/consent";

setupTestDb();

// The process's WeChat apps are the test's sandbox gateway (on its own port, keys in a temp folder).
let sandboxConfig: WechatConfig | undefined;
vi.mock("@/lib/wechat/config", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/wechat/config")>();
  return { ...original, wechatConfig: () => sandboxConfig ?? original.wechatConfig() };
});
const { POST: wechatRoute } = await import("@/app/api/v1/auth/wechat/route");

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  const { sandboxWechatConfig } = await import("@/lib/wechat/config");
  sandboxConfig = sandboxWechatConfig(`${h.sandboxOrigin}/sandbox-gateway`, h.dataDir);
});
afterAll(() => h.close());

const official = () => sandboxConfig!.official!;
const miniLogin = (body: unknown) => callRoute(wechatRoute, { path: "/api/v1/auth/wechat", ip: uniq("ip"), body });

/** What the WeChat browser does on the sandbox's authorize page: comes back to redirect_uri with a code. */
async function authorizeCode(wechatUser: string, scope: "snsapi_base" | "snsapi_userinfo" = "snsapi_base"): Promise<string> {
  const q = new URLSearchParams({
    appid: official().appId,
    redirect_uri: "https://yuyue.test/api/wechat/callback",
    response_type: "code",
    scope,
    state: "s",
  });
  const url = `${official().openBaseUrl}/connect/oauth2/authorize?${q}`;
  const cookie = `sandbox_wx_user=${wechatUser}`;
  const first = await fetch(url, { headers: { cookie }, redirect: "manual" });
  const answer =
    scope === "snsapi_base"
      ? first
      : await fetch(url.split("?")[0]!, {
          method: "POST",
          headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
          body: `${q}&answer=allow`,
          redirect: "manual",
        });
  // snsapi_base moves on by a meta-refresh page (no fragment carried along), userinfo by 302.
  const location =
    answer.status === 302 ? answer.headers.get("location")! : /http-equiv="refresh" content="0;url=([^"]+)"/.exec(await answer.text())![1]!;
  const code = new URL(location.replaceAll("&amp;", "&")).searchParams.get("code");
  expect(code).toBeTruthy();
  return code!;
}

describe("mini-program sign-in: POST /api/v1/auth/wechat (code2session through the sandbox)", () => {
  it("creates the customer on first use, finds them again, and the token works", async () => {
    const wechatUser = uniq("wxu");
    const first = await miniLogin({ code: h.gateway.wechat.miniLoginCode(wechatUser), privacyConsent: true });
    expect(first.status).toBe(200);
    const a = (await first.json()) as { user: { id: string; role: string }; token: string; created: boolean };
    expect(a).toMatchObject({ created: true, user: { role: "customer" } });
    expect((await userFromBearer(`Bearer ${a.token}`))?.id).toBe(a.user.id);
    const [row] = await getDb().select().from(users).where(eq(users.id, a.user.id));
    expect(row?.wechatMiniOpenid).toBe(h.gateway.wechat.openidOf(wechatUser, "mini"));
    expect(row?.wechatUnionid).toMatch(/^u/);
    const registered = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, a.user.id), eq(auditLog.action, "user.registered")));
    expect(registered.map((r) => r.data)).toEqual([{ via: "wechat_mini" }]);

    const again = (await (await miniLogin({ code: h.gateway.wechat.miniLoginCode(wechatUser), privacyConsent: true })).json()) as typeof a;
    expect(again).toMatchObject({ created: false, user: { id: a.user.id } });
  });

  it("two first sign-ins of one WeChat user in parallel end in one customer", async () => {
    const wechatUser = uniq("wxu");
    const answers = await Promise.all(
      [1, 2].map(() => miniLogin({ code: h.gateway.wechat.miniLoginCode(wechatUser), privacyConsent: true })),
    );
    const bodies = (await Promise.all(answers.map((r) => r.json()))) as { user: { id: string }; created: boolean }[];
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    expect(new Set(bodies.map((b) => b.user.id)).size).toBe(1);
    expect(bodies.filter((b) => b.created)).toHaveLength(1);
  });

  it("a bad, reused or malformed code is refused in the error shape", async () => {
    const bad = await miniLogin({ code: "not-a-code-wechat-issued" });
    expect(bad.status).toBe(401);
    const body = (await bad.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("INVALID_CREDENTIALS");
    expect(body.error.message).toContain("40029");

    const code = h.gateway.wechat.miniLoginCode(uniq("wxu"));
    expect((await miniLogin({ code, privacyConsent: true })).status).toBe(200);
    expect((await miniLogin({ code, privacyConsent: true })).status).toBe(401);

    const malformed = await miniLogin({ code: "x" });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe("VALIDATION_FAILED");
  });
});

describe("official-account web OAuth through the sandbox", () => {
  it("stores the openid (and unionid) on a new customer; the same WeChat user signs in to the same account", async () => {
    const wechatUser = uniq("wxu");
    const first = await signInWithWechatOAuth(official(), await authorizeCode(wechatUser, "snsapi_userinfo"), undefined, true);
    expect(first.created).toBe(true);
    expect(first.user).toMatchObject({ wechatOpenid: h.gateway.wechat.openidOf(wechatUser, "official"), role: "customer" });
    expect(first.user.name).toMatch(/^沙箱用户/);
    const again = await signInWithWechatOAuth(official(), await authorizeCode(wechatUser), undefined, true);
    expect(again).toMatchObject({ created: false, user: { id: first.user.id } });
    // The mini-program identity of the same person (same unionid) is the same customer.
    const mini = (await (await miniLogin({ code: h.gateway.wechat.miniLoginCode(wechatUser), privacyConsent: true })).json()) as {
      user: { id: string };
    };
    expect(mini.user.id).toBe(first.user.id);
  });

  it("binds the openid to a customer already signed in by phone: one record across phone and WeChat", async () => {
    const phoneCustomer = await makeCustomer(getDb(), { phone: `137${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}` });
    const wechatUser = uniq("wxu");
    const bound = await signInWithWechatOAuth(official(), await authorizeCode(wechatUser), phoneCustomer.id);
    expect(bound).toMatchObject({
      created: false,
      user: { id: phoneCustomer.id, wechatOpenid: h.gateway.wechat.openidOf(wechatUser, "official") },
    });
    const later = await signInWithWechatOAuth(official(), await authorizeCode(wechatUser), undefined, true);
    expect(later.user.id).toBe(phoneCustomer.id);
  });

  it("refuses a used code, and a callback whose state is not this browser's", async () => {
    const code = await authorizeCode(uniq("wxu"));
    await signInWithWechatOAuth(official(), code, undefined, true);
    expect(await codeOf(signInWithWechatOAuth(official(), code, undefined, true))).toBe("INVALID_CREDENTIALS");

    const { state, cookie } = newOAuthState("/services/x?slot=1");
    expect(checkOAuthState(cookie, state)).toEqual({ callbackUrl: "/services/x?slot=1", privacyConsent: false });
    const consented = newOAuthState("/me", true);
    expect(checkOAuthState(consented.cookie, consented.state)).toEqual({ callbackUrl: "/me", privacyConsent: true });
    const other = newOAuthState("/me");
    expect(await codeOf(Promise.resolve().then(() => checkOAuthState(cookie, other.state)))).toBe("FORBIDDEN");
    expect(await codeOf(Promise.resolve().then(() => checkOAuthState(undefined, state)))).toBe("FORBIDDEN");
    // Never another site, whatever the cookie carried.
    expect(checkOAuthState(newOAuthState("//evil.example/x").cookie.replace(/^[^.]+/, "s"), "s").callbackUrl).toBe("/me");
  });

  it("the next-auth ticket names its account, expires in a minute and cannot be altered", async () => {
    const { wechatProvider } = await import("./wechat-sign-in");
    const authorize = (wechatProvider() as unknown as { options: { authorize(c: unknown, r: unknown): Promise<{ id: string } | null> } })
      .options.authorize;
    const customer = await makeCustomer(getDb());
    expect((await authorize({ ticket: wechatTicket(customer.id) }, {}))?.id).toBe(customer.id);
    expect(await authorize({ ticket: wechatTicket(customer.id, Date.now() - 61_000) }, {})).toBeNull();
    const other = await makeCustomer(getDb());
    const forged = wechatTicket(customer.id).replace(customer.id, other.id);
    expect(await authorize({ ticket: forged }, {})).toBeNull();
  });
});

describe("one customer across phone and WeChat: proving a phone number", () => {
  const newPhone = () => `138${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
  const codeFor = (phone: string) => storedCodeFor(getDb(), phone);

  it("a WeChat-only customer proving another customer's number is merged into that customer", async () => {
    const phone = newPhone();
    const phoneCustomer = await makeCustomer(getDb(), { phone });
    const wechatUser = uniq("wxu");
    const { user: wechatOnly } = await signInWithWechatOAuth(official(), await authorizeCode(wechatUser), undefined, true);
    await getDb()
      .insert(notifications)
      .values({ userId: wechatOnly.id, type: "booking_confirmed", channel: "in_app", title: "t", body: "b", idempotencyKey: uniq("k") });

    const merged = await changePhoneWithCode(wechatOnly.id, { phone, code: await codeFor(phone), ip: uniq("ip") });
    expect(merged).toMatchObject({ id: phoneCustomer.id, phone, wechatOpenid: h.gateway.wechat.openidOf(wechatUser, "official") });
    expect(merged.phoneVerifiedAt).not.toBeNull();
    expect(await getDb().select().from(users).where(eq(users.id, wechatOnly.id))).toEqual([]);
    expect(await getDb().select().from(notifications).where(eq(notifications.userId, phoneCustomer.id))).toHaveLength(1);
    // WeChat sign-in now lands on the phone account.
    expect((await signInWithWechatOAuth(official(), await authorizeCode(wechatUser), undefined, true)).user.id).toBe(phoneCustomer.id);
  });

  it("anyone else proving a taken number is refused and nothing changes", async () => {
    const phone = newPhone();
    await makeCustomer(getDb(), { phone });
    const emailCustomer = await makeCustomer(getDb());
    expect(await codeOf(changePhoneWithCode(emailCustomer.id, { phone, code: await codeFor(phone), ip: uniq("ip") }))).toBe("PHONE_TAKEN");
    const [after] = await getDb().select().from(users).where(eq(users.id, emailCustomer.id));
    expect(after?.phone).toBeNull();
  });
});

describe("privacy consent at a first WeChat sign-in", () => {
  it("mini-program: a new customer without privacyConsent is refused (400) and nothing is created; with it the consent is on record", async () => {
    const wechatUser = uniq("wxu");
    const openid = h.gateway.wechat.openidOf(wechatUser, "mini");
    const refused = await miniLogin({ code: h.gateway.wechat.miniLoginCode(wechatUser) });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("VALIDATION_FAILED");
    expect(await getDb().select().from(users).where(eq(users.wechatMiniOpenid, openid))).toEqual([]);

    const ok = await miniLogin({ code: h.gateway.wechat.miniLoginCode(wechatUser), privacyConsent: true });
    expect(ok.status).toBe(200);
    const [row] = await getDb().select().from(users).where(eq(users.wechatMiniOpenid, openid));
    expect(row?.privacyConsentVersion).toBe(PRIVACY_POLICY_VERSION);

    // a known customer signs in without it; one with no consent on record gets it when it is given
    await getDb().update(users).set({ privacyConsentVersion: null, privacyConsentAt: null }).where(eq(users.id, row!.id));
    expect((await miniLogin({ code: h.gateway.wechat.miniLoginCode(wechatUser) })).status).toBe(200);
    expect((await getDb().select().from(users).where(eq(users.id, row!.id)))[0]?.privacyConsentVersion).toBeNull();
    expect((await miniLogin({ code: h.gateway.wechat.miniLoginCode(wechatUser), privacyConsent: true })).status).toBe(200);
    expect((await getDb().select().from(users).where(eq(users.id, row!.id)))[0]?.privacyConsentVersion).toBe(PRIVACY_POLICY_VERSION);
  });

  it("web OAuth: a first sign-in without the checkbox creates nothing; with it the account carries the consent", async () => {
    const wechatUser = uniq("wxu");
    const refused = await codeOf(signInWithWechatOAuth(official(), await authorizeCode(wechatUser)));
    expect(refused).toBe("VALIDATION_FAILED");
    const openid = h.gateway.wechat.openidOf(wechatUser, "official");
    expect(await getDb().select().from(users).where(eq(users.wechatOpenid, openid))).toEqual([]);
    const { user, created } = await signInWithWechatOAuth(official(), await authorizeCode(wechatUser), undefined, true);
    expect(created).toBe(true);
    expect(user.privacyConsentVersion).toBe(PRIVACY_POLICY_VERSION);
  });
});
