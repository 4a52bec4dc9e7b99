import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors";

// Bearer tokens: "en-user" belongs to an account whose language is English, "zh-user" to a Chinese one.
vi.mock("@/lib/auth/api-tokens", () => ({
  userFromBearer: async (h: string | null) =>
    h === "Bearer en-user"
      ? { id: "u-en", role: "customer", locale: "en" }
      : h === "Bearer zh-user"
        ? { id: "u-zh", role: "customer", locale: "zh-CN" }
        : null,
}));

const { apiRoute } = await import("@/lib/api/handler");

const full = apiRoute({ auth: "none" }, async () => {
  throw new AppError("SLOT_FULL", "slotFull");
});
const refund = apiRoute({ auth: "user" }, async () => {
  throw new AppError("VALIDATION_FAILED", "refundAtMost", undefined, { fen: 500 });
});
const form = apiRoute({ auth: "none", body: z.object({ email: z.string().email("emailInvalid") }) }, async () =>
  Response.json({ ok: true }),
);

/** `body`: an object is sent as JSON, a string as it is. */
async function call(route: typeof full, headers: Record<string, string> = {}, body?: unknown) {
  const req = new NextRequest("http://localhost/api/v1/x", {
    method: "POST",
    headers,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const res = await route(req, { params: Promise.resolve({}) });
  return { status: res.status, error: ((await res.json()) as { error: { code: string; message: string; details?: unknown } }).error };
}

describe("API errors in the caller's language", () => {
  it("answers in Chinese without Accept-Language, in English with Accept-Language: en", async () => {
    expect(await call(full)).toEqual({ status: 409, error: { code: "SLOT_FULL", message: "该时段已约满" } });
    expect(await call(full, { "accept-language": "en-US,en;q=0.9" })).toEqual({
      status: 409,
      error: { code: "SLOT_FULL", message: "This timeslot is full" },
    });
    expect((await call(full, { "accept-language": "fr-FR, zh-CN;q=0.8" })).error.message).toBe("该时段已约满");
  });

  it("without Accept-Language the signed-in account's language decides; the header wins over it", async () => {
    expect((await call(refund, { authorization: "Bearer en-user" })).error.message).toBe("At most 500 fen can be refunded");
    expect((await call(refund, { authorization: "Bearer zh-user" })).error.message).toBe("最多可退 500 分");
    expect((await call(refund, { authorization: "Bearer en-user", "accept-language": "zh-CN" })).error.message).toBe("最多可退 500 分");
  });

  it("auth failures and zod details are localized too, one language at a time", async () => {
    expect(await call(refund)).toEqual({ status: 401, error: { code: "UNAUTHENTICATED", message: "缺少或无效的 API 令牌" } });
    expect((await call(refund, { "accept-language": "en" })).error.message).toBe("Missing or invalid bearer token");
    expect(await call(form, { "accept-language": "en" }, { email: "x" })).toEqual({
      status: 400,
      error: { code: "VALIDATION_FAILED", message: "Enter a valid email", details: [{ path: "email", message: "Enter a valid email" }] },
    });
    expect((await call(form, {}, { email: "x" })).error.details).toEqual([{ path: "email", message: "请输入有效的邮箱" }]);
    expect((await call(form, { "accept-language": "en" }, "{")).error).toMatchObject({
      code: "VALIDATION_FAILED",
      message: "Invalid JSON",
    });
  });
});
