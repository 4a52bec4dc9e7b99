import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { listDevMessages } from "@/lib/notifications/channels";
import { deliverNotification } from "@/lib/notifications/deliver";
import { requestOtp } from "@/lib/notifications/send-code";
import { setupTestDb, uniq } from "@/tests/db";
import { makeCustomer, messagesTo } from "@/tests/fixtures";

const calls = vi.hoisted(() => ({ signIn: [] as { provider: string; options: Record<string, unknown> }[] }));
vi.mock("@/lib/auth", () => ({
  auth: async () => null,
  signIn: async (provider: string, options: Record<string, unknown>) => {
    calls.signIn.push({ provider, options });
  },
}));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "x-forwarded-for": `198.51.100.${Math.floor(Math.random() * 250)}` }),
}));
vi.mock("next-intl/server", async () => {
  const { createTranslator } = await import("use-intl/core");
  const en = (await import("@/lib/i18n/messages/en.json")).default;
  return {
    getLocale: async () => "en",
    getTranslations: async (namespace?: string) => createTranslator({ locale: "en", messages: en, namespace: namespace as "otp" }),
  };
});
// The sign-in action's provider module: next-auth's error classes and the Credentials factory only.
vi.mock("next-auth", () => {
  class AuthError extends Error {}
  class CredentialsSignin extends AuthError {}
  return { AuthError, CredentialsSignin };
});
vi.mock("next-auth/providers/credentials", () => ({ default: (o: unknown) => o }));

const { signUpAction } = await import("@/app/(site)/signup/actions");
const { signInWithCodeAction } = await import("@/app/(site)/signin/actions");

setupTestDb();

const newPhone = () => `137${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;

async function textedCode(phone: string): Promise<string> {
  const db = getDb();
  await requestOtp({ phone, ip: `203.0.113.${Math.floor(Math.random() * 250)}` }, db);
  for (const r of await messagesTo(db, phone)) await deliverNotification(db, r.id, false);
  const code = listDevMessages({ to: phone, channel: "sms" })[0]?.sms?.params.code;
  if (!code) throw new Error(`no code texted to ${phone}`);
  return code;
}

const form = (fields: Record<string, string>) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  return fd;
};

beforeEach(() => {
  calls.signIn = [];
});

describe("sign-up with the SMS code does not tell whether the number has an account", () => {
  it("a new number and a taken one get the same answer; the taken one's account is signed in by the code, its password kept", async () => {
    const fresh = newPhone();
    const freshAnswer = await signUpAction(
      null,
      form({ name: "新", email: "", phone: fresh, password: "a-long-passphrase-9", code: await textedCode(fresh), privacyConsent: "on" }),
    );

    const taken = newPhone();
    const owner = await makeCustomer(getDb(), { phone: taken, passwordHash: "kept" });
    const takenAnswer = await signUpAction(
      null,
      form({ name: "旧", email: "", phone: taken, password: "a-long-passphrase-9", code: await textedCode(taken), privacyConsent: "on" }),
    );

    expect(takenAnswer).toEqual(freshAnswer);
    expect(takenAnswer).toEqual({ ok: true });
    expect(calls.signIn[0]).toMatchObject({ provider: "credentials", options: { identifier: fresh, redirectTo: "/me" } });
    expect(calls.signIn[1]).toMatchObject({ provider: "sms-code", options: { phone: taken, redirectTo: "/me" } });
    const [after] = await getDb().select().from(users).where(eq(users.id, owner.id));
    expect(after?.passwordHash).toBe("kept");
  });

  it("a wrong code answers the same for a new and a taken number", async () => {
    const taken = newPhone();
    await makeCustomer(getDb(), { phone: taken, email: `${uniq("e")}@example.com` });
    const fresh = newPhone();
    await textedCode(taken);
    await textedCode(fresh);
    const wrong = (phone: string) =>
      signUpAction(null, form({ name: "x", email: "", phone, password: "a-long-passphrase-9", code: "000000", privacyConsent: "on" }));
    expect(await wrong(taken)).toEqual(await wrong(fresh));
  });
});

async function mailedCode(email: string): Promise<string | undefined> {
  for (const r of await messagesTo(getDb(), email)) await deliverNotification(getDb(), r.id, false);
  return /\b(\d{6})\b/.exec(listDevMessages({ to: email, channel: "email" })[0]?.text ?? "")?.[1];
}

describe("sign-up with an e-mail address does not tell whether the address has an account", () => {
  it("the first submit answers the same for a new and a taken address; the mailed code then creates the new account and signs it in", async () => {
    const fresh = `${uniq("n")}@example.com`;
    const taken = `${uniq("t")}@example.com`;
    const owner = await makeCustomer(getDb(), { email: taken, passwordHash: "kept" });
    const submit = (email: string, emailCode = "") =>
      signUpAction(null, form({ name: "邮箱", email, phone: "", password: "a-long-passphrase-9", emailCode, privacyConsent: "on" }));
    const [a, b] = [await submit(fresh), await submit(taken)];
    expect(a).toMatchObject({ ok: true, data: { emailCodeSent: true } });
    expect({ ...b, message: b.message?.replace(taken, "@") }).toEqual({ ...a, message: a.message?.replace(fresh, "@") });
    expect(calls.signIn).toEqual([]);

    const code = await mailedCode(fresh);
    expect(code).toMatch(/^\d{6}$/);
    expect(await mailedCode(taken)).toBeUndefined();
    const wrongFresh = await submit(fresh, code === "000000" ? "000001" : "000000");
    const wrongTaken = await submit(taken, code!);
    expect(wrongTaken).toEqual(wrongFresh);
    expect(wrongFresh.fieldErrors?.emailCode).toHaveLength(1);

    expect(await submit(fresh, code!)).toEqual({ ok: true });
    expect(calls.signIn).toEqual([{ provider: "credentials", options: expect.objectContaining({ identifier: fresh, redirectTo: "/me" }) }]);
    const [kept] = await getDb().select().from(users).where(eq(users.id, owner.id));
    expect(kept?.passwordHash).toBe("kept");
  });
});

describe("sign-in by SMS code asks every number to accept the privacy policy", () => {
  it("without the box a new and a known number get the same answer, before any code is checked; with it the consent goes along", async () => {
    const fresh = newPhone();
    const known = newPhone();
    await makeCustomer(getDb(), { phone: known });
    const [freshCode, knownCode] = [await textedCode(fresh), await textedCode(known)];
    const noBox = (phone: string, code: string) => signInWithCodeAction(null, form({ phone, code, callbackUrl: "/me" }));
    const [a, b] = [await noBox(fresh, freshCode), await noBox(known, knownCode)];
    expect(a).toEqual(b);
    expect(a.fieldErrors?.privacyConsent).toHaveLength(1);
    expect(calls.signIn).toEqual([]);

    expect(await signInWithCodeAction(null, form({ phone: fresh, code: freshCode, callbackUrl: "/me", privacyConsent: "on" }))).toEqual({
      ok: true,
    });
    expect(calls.signIn[0]).toMatchObject({ provider: "sms-code", options: { phone: fresh, privacyConsent: "on" } });
  });
});
