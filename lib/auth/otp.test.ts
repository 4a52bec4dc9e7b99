import { and, eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { POST as requestRoute } from "@/app/api/v1/auth/otp/route";
import { POST as verifyRoute } from "@/app/api/v1/auth/otp/verify/route";
import { getDb } from "@/db/client";
import { notifications, otpCodes, users } from "@/db/schema";
import { userFromBearer } from "@/lib/auth/api-tokens";
import { listDevMessages } from "@/lib/notifications/channels";
import { deliverNotification } from "@/lib/notifications/deliver";
import { codeOf, makeCustomer, messagesTo, storedCodeFor } from "@/tests/fixtures";
import { PRIVACY_POLICY_VERSION } from "@/lib/pii/consent";
import { phoneHash, phoneIs } from "@/lib/pii";
import { setupTestDb, uniq } from "@/tests/db";
import { requestOtp } from "@/lib/notifications/send-code";
import { signInWithCode } from "./otp";

setupTestDb();

const newPhone = () => `136${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);

/** Delivers the number's pending code messages (as the worker does) and reads the newest code from the dev SMS transport. */
async function textedCode(phone: string): Promise<string> {
  const db = getDb();
  const rows = await messagesTo(db, phone);
  for (const r of rows) await deliverNotification(db, r.id, false);
  const [latest] = listDevMessages({ to: phone, channel: "sms" });
  const code = latest?.sms?.params.code;
  if (!code) throw new Error(`no code texted to ${phone}`);
  return code;
}

const post = (handler: typeof requestRoute, body: unknown, ip: string) =>
  handler(
    new NextRequest("http://localhost/api/v1/auth/otp", {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json", "x-forwarded-for": ip },
    }),
    { params: Promise.resolve({}) },
  );

describe("SMS one-time codes over HTTP", () => {
  it("texts a code; right code 200 with a working token, reused 401, wrong 401, second request within the minute 429", async () => {
    const phone = newPhone();
    const ip = uniq("ip");
    const sent = await post(requestRoute, { phone: `+86 ${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}` }, ip);
    expect(sent.status).toBe(202);
    expect(await sent.json()).toEqual({ expiresInSec: 300, resendAfterSec: 60 });

    const again = await post(requestRoute, { phone }, ip);
    expect(again.status).toBe(429);
    expect((await again.json()).error.code).toBe("RATE_LIMITED");

    const code = await textedCode(phone);
    expect(code).toMatch(/^\d{6}$/);
    const wrong = await post(verifyRoute, { phone, code: code === "000000" ? "000001" : "000000" }, ip);
    expect(wrong.status).toBe(401);

    const ok = await post(verifyRoute, { phone: `86${phone}`, code, privacyConsent: true }, ip);
    expect(ok.status).toBe(200);
    const body = await ok.json();
    expect(body).toMatchObject({ created: true, user: { phone, role: "customer" } });
    expect(body.user.passwordHash).toBeUndefined();
    expect((await userFromBearer(`Bearer ${body.token}`))?.id).toBe(body.user.id);

    const reused = await post(verifyRoute, { phone, code }, ip);
    expect(reused.status).toBe(401);
    expect((await reused.json()).error.code).toBe("INVALID_CREDENTIALS");

    const bad = await post(requestRoute, { phone: "12345" }, ip);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe("VALIDATION_FAILED");
  });
});

describe("SMS one-time codes", () => {
  it("stores only a hash, keeps the code out of the outbox in clear, and signs an existing customer in (created false)", async () => {
    const phone = newPhone();
    const existing = await makeCustomer(getDb(), { phone });
    await requestOtp({ phone, ip: uniq("ip") });
    const code = await textedCode(phone);
    const [row] = await getDb()
      .select()
      .from(otpCodes)
      .where(eq(otpCodes.phoneHash, phoneHash(phone)));
    expect(row?.codeHash).not.toContain(code);
    const [message] = await messagesTo(getDb(), phone);
    expect(message).toMatchObject({ userId: existing.id, channel: "sms", type: "verification_code", status: "sent" });
    expect(JSON.stringify(message?.payload) + message?.body + message?.title).not.toContain(code);
    const [texted] = listDevMessages({ to: phone });
    expect(texted?.sms).toMatchObject({ templateCode: "SMS_YUYUE_VERIFICATION_CODE", params: { code, minutes: "5" } });

    const { user, created } = await signInWithCode({
      privacyConsent: true,
      phone: `${phone.slice(0, 3)} ${phone.slice(3)}`,
      code,
      ip: uniq("ip"),
    });
    expect(created).toBe(false);
    expect(user.id).toBe(existing.id);
    expect(user.phoneVerifiedAt).not.toBeNull();
  });

  it("expires after 5 minutes", async () => {
    const phone = newPhone();
    const t0 = new Date();
    await requestOtp({ phone, ip: uniq("ip"), now: t0 });
    const code = await textedCode(phone);
    expect(await codeOf(signInWithCode({ privacyConsent: true, phone, code, ip: uniq("ip"), now: at(t0, 301) }))).toBe(
      "INVALID_CREDENTIALS",
    );
    expect(await codeOf(signInWithCode({ privacyConsent: true, phone, code, ip: uniq("ip"), now: at(t0, 299) }))).toBe("OK");
  });

  it("burns the code on the fifth wrong try (429 even for the right code), and a new code works", async () => {
    const phone = newPhone();
    const t0 = new Date();
    const ip = uniq("ip");
    await requestOtp({ phone, ip, now: t0 });
    const code = await textedCode(phone);
    const wrong = code === "999999" ? "999998" : "999999";
    for (let i = 1; i <= 4; i++)
      expect(await codeOf(signInWithCode({ privacyConsent: true, phone, code: wrong, ip, now: t0 }))).toBe("INVALID_CREDENTIALS");
    expect(await codeOf(signInWithCode({ privacyConsent: true, phone, code: wrong, ip, now: t0 }))).toBe("RATE_LIMITED");
    expect(await codeOf(signInWithCode({ privacyConsent: true, phone, code, ip, now: t0 }))).toBe("RATE_LIMITED");

    await requestOtp({ phone, ip, now: at(t0, 61) });
    const fresh = await textedCode(phone);
    expect(await codeOf(signInWithCode({ privacyConsent: true, phone, code, ip, now: at(t0, 62) }))).toBe(
      fresh === code ? "OK" : "INVALID_CREDENTIALS",
    );
    if (fresh !== code) expect(await codeOf(signInWithCode({ privacyConsent: true, phone, code: fresh, ip, now: at(t0, 62) }))).toBe("OK");
  });

  it("allows one code a minute, five an hour and ten a day per number", async () => {
    const phone = newPhone();
    const t0 = new Date();
    const send = (seconds: number) => codeOf(requestOtp({ phone, ip: uniq("ip"), now: at(t0, seconds) }));
    expect(await send(0)).toBe("OK");
    expect(await send(59)).toBe("RATE_LIMITED");
    expect(await send(61)).toBe("OK");
    for (const s of [122, 183, 244]) expect(await send(s)).toBe("OK");
    expect(await send(305)).toBe("RATE_LIMITED"); // the sixth within the hour
    expect(await send(3601)).toBe("OK"); // the first one left the hour

    const other = newPhone();
    const day = (minutes: number) => codeOf(requestOtp({ phone: other, ip: uniq("ip"), now: at(t0, minutes * 60) }));
    // Every 13 minutes: never more than five in any hour, so only the daily cap stops the eleventh.
    for (let i = 0; i < 10; i++) expect(await day(i * 13)).toBe("OK");
    expect(await day(130)).toBe("RATE_LIMITED");
    expect(await day(24 * 60 + 1)).toBe("OK"); // the first one left the day
  });

  it("limits one address spraying many numbers", async () => {
    const ip = uniq("ip");
    for (let i = 0; i < 20; i++) expect(await codeOf(requestOtp({ phone: newPhone(), ip }))).toBe("OK");
    expect(await codeOf(requestOtp({ phone: newPhone(), ip }))).toBe("RATE_LIMITED");
  });

  it("parallel: of five requests one code is made, of five verifications of it exactly one signs in", async () => {
    const phone = newPhone();
    const requests = await Promise.all(Array.from({ length: 5 }, () => codeOf(requestOtp({ phone, ip: uniq("ip") }))));
    expect(requests.filter((r) => r === "OK")).toHaveLength(1);
    expect(requests.filter((r) => r === "RATE_LIMITED")).toHaveLength(4);
    const code = await textedCode(phone);
    const verifies = await Promise.all(
      Array.from({ length: 5 }, () => codeOf(signInWithCode({ privacyConsent: true, phone, code, ip: uniq("ip") }))),
    );
    expect(verifies.filter((r) => r === "OK")).toHaveLength(1);
    expect(verifies.filter((r) => r === "INVALID_CREDENTIALS")).toHaveLength(4);
    expect(await getDb().select().from(users).where(phoneIs(phone))).toHaveLength(1);
  });

  it("redelivery sends the code once; a code whose message is still queued at expiry is cancelled, not sent", async () => {
    const phone = newPhone();
    await requestOtp({ phone, ip: uniq("ip") });
    await textedCode(phone);
    const [row] = await messagesTo(getDb(), phone);
    expect(await deliverNotification(getDb(), row!.id, false)).toBe("skipped");
    expect(listDevMessages({ to: phone })).toHaveLength(1);

    const late = newPhone();
    const t0 = new Date(Date.now() - 301_000);
    await requestOtp({ phone: late, ip: uniq("ip"), now: t0 });
    const [queued] = await messagesTo(getDb(), late);
    // The worker may already have sent it while it was fresh; force the "still queued" case.
    await getDb()
      .update(notifications)
      .set({ status: "pending" })
      .where(and(eq(notifications.id, queued!.id)));
    expect(await deliverNotification(getDb(), queued!.id, false)).toBe("cancelled");
    const [after] = await getDb().select().from(notifications).where(eq(notifications.id, queued!.id));
    expect(after?.status).toBe("cancelled");
  });

  it("a new number's account needs the privacy policy accepted (400, the code stays usable); a known account without consent gets it recorded", async () => {
    const phone = newPhone();
    const ip = uniq("ip");
    await requestOtp({ phone, ip });
    const code = await textedCode(phone);
    const refused = await post(verifyRoute, { phone, code }, ip);
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toMatchObject({
      code: "VALIDATION_FAILED",
      details: { fieldErrors: { privacyConsent: expect.any(Array) } },
    });
    expect(await getDb().select().from(users).where(phoneIs(phone))).toEqual([]);

    const ok = await post(verifyRoute, { phone, code, privacyConsent: true }, ip);
    expect(ok.status).toBe(200);
    const { user } = (await ok.json()) as { user: { id: string } };
    const [created] = await getDb().select().from(users).where(eq(users.id, user.id));
    expect(created?.privacyConsentVersion).toBe(PRIVACY_POLICY_VERSION);
    expect(created?.privacyConsentAt).not.toBeNull();

    // an account from before (no consent on record) signs in without the box, and gets it recorded when the box is ticked
    const known = newPhone();
    const old = await makeCustomer(getDb(), { phone: known });
    expect((await signInWithCode({ phone: known, code: await storedCodeFor(getDb(), known), ip: uniq("ip") })).user.id).toBe(old.id);
    const [still] = await getDb().select().from(users).where(eq(users.id, old.id));
    expect(still?.privacyConsentVersion).toBeNull();
    await signInWithCode({ phone: known, code: await storedCodeFor(getDb(), known), ip: uniq("ip"), privacyConsent: true });
    const [after] = await getDb().select().from(users).where(eq(users.id, old.id));
    expect(after?.privacyConsentVersion).toBe(PRIVACY_POLICY_VERSION);
  });
});
