import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { businesses, notifications, wechatSubscriptions } from "@/db/schema";
import { sandboxWechatConfig, type WechatApp } from "@/lib/wechat/config";
import { bookingMessageData, ensureBusiness, makeCustomer } from "@/tests/fixtures";
import { setupTestDb, uniq } from "@/tests/db";
import { startHarness, type Harness } from "@/tests/payment-harness";
import { createDevChannel, createWechatSubscribeChannel, listDevMessages } from "./channels";
import { deliverNotification } from "./deliver";
import { notify } from "./outbox";
import { grantWechatSubscription } from "./wechat-subscribe";

setupTestDb();

const holder = globalThis as unknown as { yuyueChannels?: unknown };
let h: Harness;
let app: WechatApp;
const TEMPLATE = `tmpl_${uniq("confirm")}`;

beforeAll(async () => {
  h = await startHarness();
  app = sandboxWechatConfig(`${h.sandboxOrigin}/sandbox-gateway`, h.dataDir).official!;
  // The project cache (memory embedded, Redis with REDIS_URL) keeps the access_token.
  holder.yuyueChannels = { email: createDevChannel("email"), sms: createDevChannel("sms"), wechat: createWechatSubscribeChannel(app) };
  const business = await ensureBusiness(getDb());
  await getDb()
    .update(businesses)
    .set({ wechatTemplates: { booking_confirmed: TEMPLATE } })
    .where(eq(businesses.id, business.id));
});
afterAll(async () => {
  holder.yuyueChannels = undefined;
  await h.close();
});

const phone = () => `135${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;

/** A customer who opened the site in WeChat (sandbox openid) and has a phone; prefers SMS, not email. */
async function wechatCustomer() {
  const wechatUser = uniq("wxu");
  const openid = h.gateway.wechat.openidOf(wechatUser, "official");
  const user = await makeCustomer(getDb(), {
    phone: phone(),
    wechatOpenid: openid,
    notificationPrefs: { email: false, sms: true, inApp: true },
  });
  return { user, openid };
}

const confirm = (userId: string, key: string) =>
  getDb().transaction((tx) => notify(tx, { userId, event: "booking_confirmed", data: bookingMessageData(), key }));

const rowsOf = async (key: string) =>
  (await getDb().select().from(notifications).where(eq(notifications.type, "booking_confirmed"))).filter((r) =>
    r.idempotencyKey.startsWith(`${key}:`),
  );

describe("WeChat subscribe messages", () => {
  it("a granted confirmation goes by WeChat instead of SMS, with the template's keywords; one token fetch serves two sends", async () => {
    const { user, openid } = await wechatCustomer();
    const fetchesBefore = h.gateway.wechat.tokenFetches;
    const sentBefore = h.gateway.wechat.sent.length;
    for (const _ of [1, 2]) {
      await grantWechatSubscription(getDb(), user.id, "booking_confirmed", TEMPLATE);
      h.gateway.wechat.grantSubscribe(openid, TEMPLATE);
    }
    const keys = [uniq("k"), uniq("k")];
    for (const key of keys) {
      await confirm(user.id, key);
      const rows = await rowsOf(key);
      expect(rows.map((r) => r.channel).sort()).toEqual(["in_app", "wechat"]);
      const wechat = rows.find((r) => r.channel === "wechat")!;
      const outcome = await deliverNotification(getDb(), wechat.id, false);
      const [after] = await getDb().select().from(notifications).where(eq(notifications.id, wechat.id));
      expect({ outcome, error: after?.lastError }).toEqual({ outcome: "sent", error: null });
    }
    const sent = h.gateway.wechat.sent.slice(sentBefore);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatchObject({
      touser: openid,
      template_id: TEMPLATE,
      data: { thing1: { value: "推拿" }, thing3: { value: "悦康" }, character_string4: { value: "ABCD2345" } },
    });
    expect(sent[0]!.data.time2!.value).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    // access_token fetched once for both messages (cached with its expiry).
    expect(h.gateway.wechat.tokenFetches).toBe(fetchesBefore + 1);
    const grants = await getDb().select().from(wechatSubscriptions).where(eq(wechatSubscriptions.userId, user.id));
    expect(grants.every((g) => g.usedAt !== null)).toBe(true);
    // No grant left: the next confirmation goes by SMS again.
    const third = uniq("k");
    await confirm(user.id, third);
    expect((await rowsOf(third)).map((r) => r.channel).sort()).toEqual(["in_app", "sms"]);
  });

  it("WeChat refuses (43101: the customer withdrew consent): the message falls back to SMS and the inbox, once", async () => {
    const { user } = await wechatCustomer();
    // Granted on our side, but WeChat has no consent for it (refused in WeChat's settings).
    await grantWechatSubscription(getDb(), user.id, "booking_confirmed", TEMPLATE);
    const key = uniq("k");
    await confirm(user.id, key);
    const wechat = (await rowsOf(key)).find((r) => r.channel === "wechat")!;
    expect(await deliverNotification(getDb(), wechat.id, false)).toBe("dead");
    expect(await deliverNotification(getDb(), wechat.id, true)).toBe("skipped");
    const rows = await rowsOf(key);
    expect(rows.find((r) => r.channel === "wechat")).toMatchObject({ status: "dead" });
    expect(rows.find((r) => r.channel === "wechat")!.lastError).toContain("43101");
    const sms = rows.filter((r) => r.channel === "sms");
    expect(sms).toHaveLength(1);
    expect(rows.filter((r) => r.channel === "in_app")).toHaveLength(1);
    expect(await deliverNotification(getDb(), sms[0]!.id, false)).toBe("sent");
    expect(listDevMessages({ to: user.phone!, channel: "sms" }).length).toBeGreaterThanOrEqual(1);
  });

  it("a stale access_token (40001) is dropped and the send tried once more with a new one", async () => {
    const { user, openid } = await wechatCustomer();
    const { getCache } = await import("@/lib/cache");
    await getCache().set(`wechat:access_token:${app.appId}`, { token: "revoked-token", expiresAt: Date.now() + 3_600_000 });
    await grantWechatSubscription(getDb(), user.id, "booking_confirmed", TEMPLATE);
    h.gateway.wechat.grantSubscribe(openid, TEMPLATE);
    const key = uniq("k");
    await confirm(user.id, key);
    const wechat = (await rowsOf(key)).find((r) => r.channel === "wechat")!;
    const before = h.gateway.wechat.tokenFetches;
    expect(await deliverNotification(getDb(), wechat.id, false)).toBe("sent");
    expect(h.gateway.wechat.tokenFetches).toBe(before + 1);
  });
});
