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
vi.mock("next-intl/server", () => ({ getLocale: async () => "en" }));

const { signUpAction } = await import("@/app/(site)/signup/actions");

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
