import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST as register } from "@/app/api/v1/auth/register/route";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { setupTestDb, uniq } from "@/tests/db";
import { userFromBearer } from "@/lib/auth/api-tokens";
import { listDevMessages } from "@/lib/notifications/channels";
import { deliverNotification } from "@/lib/notifications/deliver";
import { phoneIs } from "@/lib/pii";
import { makeCustomer, messagesTo, storedCodeFor } from "@/tests/fixtures";
import { callRoute } from "@/tests/routes";

setupTestDb();

const newPhone = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
const post = (body: unknown) => callRoute(register, { path: "/api/v1/auth/register", ip: uniq("ip"), body });

const codeFor = (phone: string) => storedCodeFor(getDb(), phone);

describe("POST /api/v1/auth/register with a phone number needs the number's SMS code", () => {
  it("no code → 400 on `code`; wrong code → 401; the right code → 201 with the number verified; e-mail alone is mailed a code (202)", async () => {
    const phone = newPhone();
    const missing = await post({ phone, password: "password-123", name: "无码" });
    expect(missing.status).toBe(400);
    const body = (await missing.json()) as { error: { code: string; details: { path: string }[] } };
    expect(body.error.code).toBe("VALIDATION_FAILED");
    expect(body.error.details.map((d) => d.path)).toContain("code");

    const code = await codeFor(phone);
    const wrong = await post({ phone, code: code === "111111" ? "222222" : "111111", password: "password-123", name: "错码" });
    expect(wrong.status).toBe(401);
    expect(await getDb().select().from(users).where(phoneIs(phone))).toEqual([]);

    const ok = await post({ phone, code, password: "password-123", name: "有码" });
    expect(ok.status).toBe(201);
    const [row] = await getDb().select().from(users).where(phoneIs(phone));
    expect(row?.phoneVerifiedAt).not.toBeNull();

    const byEmail = await post({ email: `${uniq("r")}@test.local`, password: "password-123", name: "邮箱" });
    expect(byEmail.status).toBe(202);
  });
});

/** Delivers the address's queued mail (as the worker does) and reads the newest from the dev mail transport. */
async function mailTo(email: string): Promise<string> {
  for (const r of await messagesTo(getDb(), email)) await deliverNotification(getDb(), r.id, false);
  const [latest] = listDevMessages({ to: email, channel: "email" });
  if (!latest) throw new Error(`nothing mailed to ${email}`);
  return latest.text;
}
const mailedCode = async (email: string) => /\b(\d{6})\b/.exec(await mailTo(email))?.[1];

describe("POST /api/v1/auth/register with an e-mail address: a mailed code, and no answer that tells whether the address is taken", () => {
  it("a new and a taken address get the same 202; the new one a code that creates the account (201), the taken one a notice and no code", async () => {
    const ip = uniq("ip");
    const send = (email: string, extra: Record<string, string> = {}) =>
      callRoute(register, {
        path: "/api/v1/auth/register",
        ip,
        body: { email, password: "a-long-passphrase-9", name: "邮箱用户", ...extra },
      });
    const fresh = `${uniq("new")}@test.local`;
    const taken = `${uniq("old")}@test.local`;
    const owner = await makeCustomer(getDb(), { email: taken, passwordHash: "kept" });

    const [a, b] = [await send(fresh), await send(taken)];
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(await a.json()).toEqual(await b.json());
    // a second ask within the minute: refused the same way for both
    const [a2, b2] = [await send(fresh), await send(taken)];
    expect([a2.status, b2.status]).toEqual([429, 429]);
    expect((await a2.json()).error.code).toBe((await b2.json()).error.code);

    const code = await mailedCode(fresh);
    expect(code).toMatch(/^\d{6}$/);
    const notice = await mailTo(taken);
    expect(notice).toContain("/reset-password");
    expect(notice).not.toMatch(/\b\d{6}\b/);
    // the outbox row keeps no code in clear
    const [row] = await messagesTo(getDb(), fresh);
    expect(JSON.stringify(row?.payload) + row?.title + row?.body).not.toContain(code!);

    // the taken address: whatever code is tried, the same 401 as a wrong code for the new one
    const wrongNew = await send(fresh, { emailCode: code === "000000" ? "000001" : "000000" });
    const wrongTaken = await send(taken, { emailCode: code! });
    expect([wrongNew.status, wrongTaken.status]).toEqual([401, 401]);
    expect((await wrongNew.json()).error).toEqual((await wrongTaken.json()).error);
    const [kept] = await getDb().select().from(users).where(eq(users.id, owner.id));
    expect(kept?.passwordHash).toBe("kept");
    expect(await getDb().select().from(users).where(eq(users.email, taken))).toHaveLength(1);

    const created = await send(fresh.toUpperCase(), { emailCode: code! });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { user: { id: string; email: string }; token: string };
    expect(body.user.email).toBe(fresh);
    expect((await userFromBearer(`Bearer ${body.token}`))?.id).toBe(body.user.id);
    const [account] = await getDb().select().from(users).where(eq(users.id, body.user.id));
    expect(account?.emailVerified).not.toBeNull();
    // used once
    expect((await send(fresh, { emailCode: code! })).status).toBe(401);
  });

  it("five wrong codes burn it (429) for a taken address as for a new one; parallel uses of one code make one account", async () => {
    const fresh = `${uniq("new")}@test.local`;
    const taken = `${uniq("old")}@test.local`;
    await makeCustomer(getDb(), { email: taken });
    const statuses = async (email: string) => {
      const ip = uniq("ip");
      const body = { email, password: "a-long-passphrase-9", name: "试" };
      await callRoute(register, { path: "/api/v1/auth/register", ip, body });
      const out: number[] = [];
      for (let i = 0; i < 6; i++)
        out.push((await callRoute(register, { path: "/api/v1/auth/register", ip, body: { ...body, emailCode: "999999" } })).status);
      return out;
    };
    const takenAnswers = await statuses(taken);
    expect(takenAnswers).toEqual([401, 401, 401, 401, 429, 429]);
    expect(await statuses(`${uniq("x")}@test.local`)).toEqual(takenAnswers);

    const body = { email: fresh, password: "a-long-passphrase-9", name: "并" };
    await callRoute(register, { path: "/api/v1/auth/register", ip: uniq("ip"), body });
    const code = await mailedCode(fresh);
    const answers = await Promise.all(
      [1, 2, 3].map(() =>
        callRoute(register, {
          path: "/api/v1/auth/register",
          ip: uniq("ip"),
          body: { ...body, emailCode: code },
        }),
      ),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([201, 401, 401]);
    expect(await getDb().select().from(users).where(eq(users.email, fresh))).toHaveLength(1);
  });

  it("an e-mail address and a phone number: both codes are needed, and a wrong one of them creates nothing", async () => {
    const email = `${uniq("both")}@test.local`;
    const phone = newPhone();
    const ip = uniq("ip");
    const body = { email, phone, password: "a-long-passphrase-9", name: "双" };
    const smsCode = await codeFor(phone);
    expect((await callRoute(register, { path: "/api/v1/auth/register", ip, body: { ...body, code: smsCode } })).status).toBe(202);
    const emailCode = (await mailedCode(email))!;
    const wrongSms = smsCode === "111111" ? "222222" : "111111";
    const bad = await callRoute(register, { path: "/api/v1/auth/register", ip, body: { ...body, code: wrongSms, emailCode } });
    expect(bad.status).toBe(401);
    expect(await getDb().select().from(users).where(eq(users.email, email))).toHaveLength(0);
    // the e-mail code was not used up by the failed try
    const ok = await callRoute(register, { path: "/api/v1/auth/register", ip, body: { ...body, code: smsCode, emailCode } });
    expect(ok.status).toBe(201);
    const [row] = await getDb().select().from(users).where(phoneIs(phone));
    expect(row).toMatchObject({ email });
    expect(row?.phoneVerifiedAt).not.toBeNull();
    expect(row?.emailVerified).not.toBeNull();
  });
});
