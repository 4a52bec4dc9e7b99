import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { AppError } from "@/lib/errors";
import { setupTestDb, uniq } from "@/tests/db";
import { makeCustomer } from "@/tests/fixtures";
import { hashPassword } from "./password";
import { signInWithPassword } from "./sign-in";

setupTestDb();

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "OK",
    (e: unknown) => (e instanceof AppError ? e.code : String(e)),
  );

describe("password sign-in", () => {
  it("accepts email (any case) or phone, and locks an account after 10 failures", async () => {
    const email = `${uniq("u")}@example.com`;
    const phone = `137${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
    await makeCustomer(getDb(), { email, phone, passwordHash: await hashPassword("right-password") });
    const ip = uniq("ip");
    expect(await codeOf(signInWithPassword(email.toUpperCase(), "right-password", ip))).toBe("OK");
    expect(await codeOf(signInWithPassword(`+86 ${phone}`, "right-password", ip))).toBe("OK");
    for (let i = 0; i < 10; i++) expect(await codeOf(signInWithPassword(email, "wrong", ip))).toBe("INVALID_CREDENTIALS");
    expect(await codeOf(signInWithPassword(email, "right-password", ip))).toBe("RATE_LIMITED");
    // The count is per identifier and address: another identifier from another address still signs in.
    expect(await codeOf(signInWithPassword(phone, "right-password", uniq("ip")))).toBe("OK");
  });

  it("does not reveal whether an account exists", async () => {
    expect(await codeOf(signInWithPassword(`${uniq("nobody")}@example.com`, "whatever", uniq("ip")))).toBe("INVALID_CREDENTIALS");
  });
});
