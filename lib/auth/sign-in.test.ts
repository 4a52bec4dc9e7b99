import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { AppError } from "@/lib/errors";
import { assertLoginAllowed, loginDelaySeconds, recordLoginFailure } from "@/lib/rate-limit";
import { setupTestDb, uniq } from "@/tests/db";
import { makeCustomer } from "@/tests/fixtures";
import { hashPassword } from "./password";
import { signInWithPassword } from "./sign-in";

setupTestDb();

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => "OK",
    (e: unknown) => (e instanceof AppError ? e.code : String(e)),
  );
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function account() {
  const email = `${uniq("u")}@example.com`;
  const phone = `137${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
  await makeCustomer(getDb(), { email, phone, passwordHash: await hashPassword("right-password") });
  return { email, phone };
}

describe("password sign-in", () => {
  it("accepts email (any case) or phone in any spelling", async () => {
    const { email, phone } = await account();
    const ip = uniq("ip");
    expect(await outcome(signInWithPassword(email.toUpperCase(), "right-password", ip))).toBe("OK");
    expect(await outcome(signInWithPassword(`+86 ${phone.slice(0, 3)}-${phone.slice(3)}`, "right-password", ip))).toBe("OK");
  });

  it("slows one (account, address) down with a growing delay, without locking the owner out elsewhere", async () => {
    const { email, phone } = await account();
    const attacker = uniq("ip");
    // Five free failures, whichever spelling of the phone is used: they share one bucket.
    const spellings = [phone, `+86${phone}`, `86 ${phone}`, `${phone.slice(0, 3)} ${phone.slice(3)}`, `+86-${phone}`];
    for (const s of spellings) expect(await outcome(signInWithPassword(s, "wrong", attacker))).toBe("INVALID_CREDENTIALS");
    // The sixth failure starts a 1 s delay: even the right password waits.
    expect(await outcome(signInWithPassword(phone, "wrong", attacker))).toBe("INVALID_CREDENTIALS");
    expect(await outcome(signInWithPassword(phone, "wrong", attacker))).toBe("RATE_LIMITED");
    expect(await outcome(signInWithPassword(phone, "right-password", attacker))).toBe("RATE_LIMITED");
    // The owner, from their own address, is not locked out.
    expect(await outcome(signInWithPassword(email, "right-password", uniq("ip")))).toBe("OK");
    // After the delay the attacker's next failure costs 2 s.
    await sleep(1100);
    expect(await outcome(signInWithPassword(phone, "wrong", attacker))).toBe("INVALID_CREDENTIALS");
    await sleep(1100);
    expect(await outcome(signInWithPassword(phone, "wrong", attacker))).toBe("RATE_LIMITED");
    await sleep(1000);
    // A success from that address clears its failures.
    expect(await outcome(signInWithPassword(phone, "right-password", attacker))).toBe("OK");
    for (let i = 0; i < 5; i++) expect(await outcome(signInWithPassword(phone, "wrong", attacker))).toBe("INVALID_CREDENTIALS");
  });

  it("doubles the delay up to 15 minutes", () => {
    expect([5, 6, 7, 8, 15, 40].map(loginDelaySeconds)).toEqual([0, 1, 2, 4, 512, 900]);
  });

  it("limits one address over all accounts to 100 failures in 15 minutes", async () => {
    const ip = uniq("ip");
    const { email } = await account();
    await Promise.all(Array.from({ length: 100 }, (_, i) => recordLoginFailure(`email:${uniq(`n${i}`)}@example.com`, ip)));
    await expect(assertLoginAllowed(`email:${uniq("fresh")}@example.com`, ip)).rejects.toMatchObject({ code: "RATE_LIMITED" });
    expect(await outcome(signInWithPassword(email, "right-password", ip))).toBe("RATE_LIMITED");
    expect(await outcome(signInWithPassword(email, "right-password", uniq("ip")))).toBe("OK");
  });

  it("does not reveal whether an account exists", async () => {
    expect(await outcome(signInWithPassword(`${uniq("nobody")}@example.com`, "whatever", uniq("ip")))).toBe("INVALID_CREDENTIALS");
  });
});
