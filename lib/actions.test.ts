import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors";

const state = vi.hoisted(() => ({ locale: "zh-CN", user: null as null | { id: string; role: "customer" | "staff" | "admin" } }));
vi.mock("next-intl/server", async () => {
  const { createTranslator } = await import("use-intl/core");
  const catalogues = {
    en: (await import("@/lib/i18n/messages/en.json")).default,
    "zh-CN": (await import("@/lib/i18n/messages/zh-CN.json")).default,
  };
  return {
    getLocale: async () => state.locale,
    getTranslations: async (o: { locale: "en" | "zh-CN"; namespace: string }) =>
      createTranslator({ locale: o.locale, messages: catalogues[o.locale], namespace: o.namespace as "errors" }),
  };
});
vi.mock("@/lib/auth", () => ({ auth: async () => (state.user ? { user: state.user } : null), signIn: async () => undefined }));

const { parseInput, runAction } = await import("@/lib/actions");
const { runStaffAction } = await import("@/lib/dashboard/run-action");
const { signUpAction } = await import("@/app/(site)/signup/actions");
const { rescheduleAction } = await import("@/app/(site)/bookings/[id]/reschedule/actions");

const coded = (code: string) => Object.assign(new Error(code), { code });
const schema = z.object({ email: z.string().email("emailInvalid"), seats: z.coerce.number().int().min(1) });

beforeEach(() => {
  state.locale = "zh-CN";
  state.user = { id: "u1", role: "customer" };
});

describe("runAction, the one action wrapper", () => {
  it("answers a domain failure with its code and the message in the UI's language", async () => {
    const fail = () => runAction({ auth: "user" }, async () => Promise.reject(new AppError("SLOT_FULL", "slotFull")));
    expect(await fail()).toEqual({ ok: false, code: "SLOT_FULL", message: "该时段已约满" });
    state.locale = "en";
    expect(await fail()).toEqual({ ok: false, code: "SLOT_FULL", message: "This timeslot is full" });
  });

  it("fills parameters of a message", async () => {
    state.locale = "en";
    const r = await runAction({ auth: "user" }, async () => {
      throw new AppError("INVALID_STATE", "cannotCancel", { status: "completed" }, { status: "completed" });
    });
    expect(r.message).toBe("This booking cannot be cancelled (status: Completed)");
  });

  it("gives zod failures as fieldErrors in the UI's language, the first one as the message", async () => {
    const submit = () => runAction({ auth: "user" }, async () => ({ ok: true, data: parseInput(schema, { email: "nope", seats: "0" }) }));
    const zh = await submit();
    expect(zh).toMatchObject({ ok: false, code: "VALIDATION_FAILED", message: "email: 请输入有效的邮箱" });
    expect(zh.fieldErrors?.email).toEqual(["请输入有效的邮箱"]);
    expect(zh.fieldErrors?.seats).toHaveLength(1);
    state.locale = "en";
    expect((await submit()).fieldErrors?.email).toEqual(["Enter a valid email"]);
  });

  it("reads the other details shapes domains attach into the same fieldErrors", async () => {
    state.locale = "en";
    const list = await runAction({ auth: "none" }, async () => {
      throw new AppError("VALIDATION_FAILED", "chooseChannel", [{ path: "prefs", message: "chooseChannel" }]);
    });
    expect(list.fieldErrors).toEqual({ prefs: ["Choose at least one channel"] });
    const record = await runAction({ auth: "none" }, async () => {
      throw new AppError("VALIDATION_FAILED", "depositOverPrice", { fieldErrors: { depositFen: ["depositOverPrice"] } });
    });
    expect(record).toMatchObject({
      message: "The deposit cannot exceed the price",
      fieldErrors: { depositFen: ["The deposit cannot exceed the price"] },
    });
  });

  it("an anonymous caller of a user action reads 'sign in', in the UI's language", async () => {
    state.user = null;
    const body = vi.fn(async () => ({ ok: true }));
    expect(await runAction({ auth: "user" }, body)).toEqual({ ok: false, code: "UNAUTHENTICATED", message: "请先登录" });
    state.locale = "en";
    expect(await runAction({ auth: "user" }, body)).toMatchObject({ message: "Please sign in first" });
    expect(body).not.toHaveBeenCalled();
  });

  it("staff actions answer a customer with a real 403 and an anonymous caller with a 401", async () => {
    // Outside Next's runtime forbidden() and unauthorized() throw naming themselves; in it, a 403/401 response.
    const body = vi.fn(async () => ({ ok: true }));
    await expect(runStaffAction(body)).rejects.toThrow(/`forbidden\(\)`/);
    state.user = { id: "s1", role: "staff" };
    await expect(runStaffAction(body, { admin: true })).rejects.toThrow(/`forbidden\(\)`/);
    state.user = null;
    await expect(runStaffAction(body)).rejects.toThrow(/`unauthorized\(\)`/);
    expect(body).not.toHaveBeenCalled();
    state.user = { id: "a1", role: "admin" };
    expect(await runStaffAction(body, { admin: true })).toEqual({ ok: true });
  });

  it("a dashboard action answers in the UI's language like a site action", async () => {
    state.user = { id: "s1", role: "staff" };
    state.locale = "en";
    const r = await runStaffAction(async () => {
      throw new AppError("NOT_FOUND", "bookingNotFound");
    });
    expect(r).toEqual({ ok: false, code: "NOT_FOUND", message: "Booking not found" });
  });

  it("a use case may give friendlier answers for some codes", async () => {
    const r = await runAction(
      { auth: "user", onError: (e) => (e.code === "SLOT_FULL" ? { message: "pick another time" } : undefined) },
      async () => {
        throw new AppError("SLOT_FULL", "slotFull");
      },
    );
    expect(r).toEqual({ ok: false, code: "SLOT_FULL", message: "pick another time" });
  });

  it("a database outage is UNAVAILABLE, a bug a logged generic message, a redirect passes through", async () => {
    const down = await runAction({ auth: "user" }, async () =>
      Promise.reject(Object.assign(new Error("Failed query"), { cause: coded("ECONNREFUSED") })),
    );
    expect(down).toEqual({ ok: false, code: "UNAVAILABLE", message: "服务暂时不可用，请稍后重试" });
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    state.locale = "en";
    expect(await runAction({ auth: "user" }, async () => Promise.reject(new TypeError("boom")))).toEqual({
      ok: false,
      code: "INTERNAL",
      message: "Something went wrong, please try again",
    });
    expect(log).toHaveBeenCalledOnce();
    log.mockRestore();
    const { redirect } = await import("next/navigation");
    await expect(runAction({ auth: "user" }, async () => redirect("/me"))).rejects.toThrow(/NEXT_REDIRECT/);
  });

  it("site actions answer in the UI's language: sign-up field errors, reschedule's sign-in prompt", async () => {
    const form = (o: Record<string, string>) => {
      const fd = new FormData();
      for (const [k, v] of Object.entries(o)) fd.set(k, v);
      return fd;
    };
    const bad = form({ name: "李雷", email: "nope", password: "short" });
    expect((await signUpAction(null, bad)).fieldErrors).toMatchObject({ email: ["请输入有效的邮箱"], password: ["密码至少 8 位"] });
    state.locale = "en";
    const en = await signUpAction(null, bad);
    expect(en).toMatchObject({
      ok: false,
      code: "VALIDATION_FAILED",
      fieldErrors: { email: ["Enter a valid email"], password: ["Password must be at least 8 characters"] },
    });
    expect(en.message).toBeUndefined();
    state.user = null;
    expect(await rescheduleAction(null, form({ bookingId: crypto.randomUUID(), timeslotId: crypto.randomUUID() }))).toEqual({
      ok: false,
      code: "UNAUTHENTICATED",
      message: "Please sign in first",
    });
  });
});
