import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { POST as register } from "@/app/api/v1/auth/register/route";
import { POST as pay } from "@/app/api/v1/bookings/[id]/pay/route";
import { POST as book } from "@/app/api/v1/bookings/route";
import { POST as wechatNotify } from "@/app/api/payments/wechat/notify/route";
import { GET as availability } from "@/app/api/v1/services/[id]/availability/route";
import { POST as checkIn } from "@/app/api/v1/staff/check-in/route";
import { getDb } from "@/db/client";
import { issueApiToken } from "@/lib/auth/api-tokens";
import { errorResponse } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { setupTestDb, uniq } from "@/tests/db";
import { makeCustomer } from "@/tests/fixtures";
import { callRoute } from "@/tests/routes";
import { consumeLimits, limitBooking } from "./rate-limit";

setupTestDb();

const ip = () => `198.51.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}-${uniq()}`;

async function statuses(n: number, call: () => Promise<Response>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await call()).status);
  return out;
}

async function expect429(res: Response) {
  expect(res.status).toBe(429);
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  expect((await res.json()).error.code).toBe("RATE_LIMITED");
}

describe("rate limits", () => {
  it("let exactly max of many parallel requests through, and say how long to wait", async () => {
    const limits = [{ bucket: "t", key: uniq(), max: 10, windowSeconds: 60 }];
    const results = await Promise.allSettled(Array.from({ length: 30 }, () => consumeLimits(limits)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(10);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === "rejected")?.reason as AppError;
    expect(refused.code).toBe("RATE_LIMITED");
    expect((refused.details as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(50);
    const res = errorResponse(refused.code, refused.message, refused.details);
    expect(res.headers.get("retry-after")).toBe(String((refused.details as { retryAfterSeconds: number }).retryAfterSeconds));
  });

  it("registration: 10 sign-ups an hour per address", async () => {
    const from = ip();
    const body = () => ({ email: `${uniq("r")}@example.com`, password: "a-long-passphrase-9", name: "R" });
    expect(await statuses(10, () => callRoute(register, { path: "/api/v1/auth/register", ip: from, body: body() }))).toEqual(
      Array(10).fill(202),
    );
    await expect429(await callRoute(register, { path: "/api/v1/auth/register", ip: from, body: body() }));
    expect((await callRoute(register, { path: "/api/v1/auth/register", ip: ip(), body: body() })).status).toBe(202);
  });

  it("public availability: 120 a minute per address", async () => {
    const from = ip();
    const id = randomUUID();
    const call = (a = from) =>
      callRoute(availability, { path: `/api/v1/services/${id}/availability?from=2026-12-01&to=2026-12-02`, ip: a, params: { id } });
    const seen = await statuses(120, () => call());
    expect(seen.every((s) => s < 429)).toBe(true);
    await expect429(await call());
    expect((await call(ip())).status).not.toBe(429);
  });

  it("bookings: 20 attempts a minute per customer, and holds per address", async () => {
    const customer = await makeCustomer(getDb());
    const { token } = await issueApiToken(customer.id);
    const from = ip();
    const attempt = (a = from) =>
      callRoute(book, {
        path: "/api/v1/bookings",
        ip: a,
        token,
        body: { timeslotId: randomUUID() },
        headers: { "idempotency-key": uniq("k") },
      });
    const seen = await statuses(20, () => attempt());
    expect(seen.every((s) => s < 429)).toBe(true);
    await expect429(await attempt());
    // The customer's limit holds from any address.
    await expect429(await attempt(ip()));

    // 占座: 30 new holds an hour from one address, whichever account; the 31st never reaches the booking.
    const holdIp = ip();
    let booked = 0;
    for (let i = 0; i < 30; i++) await limitBooking(uniq("c"), holdIp, async () => booked++);
    await expect(limitBooking(uniq("c"), holdIp, async () => booked++)).rejects.toMatchObject({ code: "RATE_LIMITED" });
    expect(booked).toBe(30);
  });

  it("payments: 10 attempts per booking in 10 minutes", async () => {
    const customer = await makeCustomer(getDb());
    const { token } = await issueApiToken(customer.id);
    const id = randomUUID();
    const attempt = () =>
      callRoute(pay, { path: `/api/v1/bookings/${id}/pay`, ip: ip(), token, body: { provider: "sandbox" }, params: { id } });
    expect((await statuses(10, attempt)).every((s) => s < 429)).toBe(true);
    await expect429(await attempt());
  });

  it("check-in: 20 wrong codes per staff member, then even a right one waits", async () => {
    const staff = await makeCustomer(getDb(), { role: "staff" });
    const { token } = await issueApiToken(staff.id);
    const guess = (code: string) => callRoute(checkIn, { path: "/api/v1/staff/check-in", ip: ip(), token, body: { code } });
    expect(await statuses(20, () => guess(uniq("X").toUpperCase().slice(0, 8)))).toEqual(Array(20).fill(404));
    await expect429(await guess("ABCDEFGH"));
  });

  it("gateway notify: an address sending 30 forged notices is refused for a while", async () => {
    const from = ip();
    const forged = () =>
      callRoute(wechatNotify, {
        path: "/api/payments/wechat/notify",
        ip: from,
        body: { id: uniq(), resource: { ciphertext: "AAAA", nonce: "x", associated_data: "y" } },
        headers: {
          "wechatpay-signature": "forged",
          "wechatpay-timestamp": String(Math.floor(Date.now() / 1000)),
          "wechatpay-nonce": "n",
          "wechatpay-serial": "PUB_KEY_ID_0000",
        },
      });
    const seen = await statuses(30, forged);
    expect(seen.every((s) => s >= 400 && s < 500 && s !== 429)).toBe(true);
    const res = await forged();
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
