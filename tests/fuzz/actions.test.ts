import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { setupTestDb } from "@/tests/db";
import { makeCustomer } from "@/tests/fixtures";
import { fuzzSeed, nastyString, nastyValue } from "./requests";

/**
 * Every exported server action, called through its real wrapper (runAction) with wrong-typed and
 * garbage arguments, by an anonymous visitor, a customer, staff and an admin: each answers a result
 * ({ ok, code, message }) and throws nothing but Next.js's own control flow
 * (a redirect, or the real 401/403 of a staff action called by someone else). Next.js itself turns
 * an unknown action id or an undecodable body into a 404/400 (e2e/security.spec.ts checks that on
 * the production build).
 */
const RUNS = Number(process.env.FUZZ_ACTION_RUNS ?? 1000);

const session = vi.hoisted(() => ({ user: null as null | { id: string; role: string; name: string; locale: string } }));
vi.mock("@/lib/auth", () => ({
  auth: async () => (session.user ? { user: session.user } : null),
  signIn: async () => undefined,
  signOut: async () => undefined,
}));
// next-auth's ESM build cannot load next/server outside Next.js; sessions come from the @/lib/auth mock above.
vi.mock("next-auth", () => {
  class AuthError extends Error {}
  class CredentialsSignin extends AuthError {}
  return { default: () => ({ auth: async () => null, handlers: {} }), AuthError, CredentialsSignin };
});
vi.mock("next-auth/providers/credentials", () => ({ default: (o: unknown) => o }));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "x-forwarded-for": "198.51.100.7", "accept-language": "en" }),
  cookies: async () => ({ get: () => undefined, set: () => undefined, delete: () => undefined, getAll: () => [], has: () => false }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined, updateTag: () => undefined }));
vi.mock("next-intl/server", async () => {
  const { createTranslator } = await import("use-intl/core");
  const en = (await import("@/lib/i18n/messages/en.json")).default;
  return {
    getLocale: async () => "en",
    getTranslations: async (o?: string | { namespace?: string }) =>
      createTranslator({ locale: "en", messages: en, namespace: (typeof o === "string" ? o : o?.namespace) as "errors" }),
  };
});

setupTestDb();

type Action = { name: string; fn: (...args: unknown[]) => Promise<unknown> };
const actions: Action[] = [];
const users: Record<string, { id: string; role: string; name: string; locale: string } | null> = { anonymous: null };

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [path.join(dir, e.name)] : [],
  );
const files = [...walk("app"), ...walk("lib")].filter((f) => !f.includes(".test.") && /^["']use server["']/m.test(readFileSync(f, "utf8")));

beforeAll(async () => {
  for (const f of files) {
    const mod = (await import(path.join(process.cwd(), f))) as Record<string, unknown>;
    for (const [name, fn] of Object.entries(mod)) {
      if (typeof fn === "function") actions.push({ name: `${f}#${name}`, fn: fn as Action["fn"] });
    }
  }
  const db = getDb();
  for (const role of ["customer", "staff", "admin"] as const) {
    const u = await makeCustomer(db, { role });
    users[role] = { id: u.id, role, name: u.name, locale: "en" };
  }
}, 180_000);

const FIELDS = [
  "id",
  "bookingId",
  "serviceId",
  "timeslotId",
  "slotId",
  "resourceId",
  "seats",
  "date",
  "from",
  "to",
  "name",
  "email",
  "phone",
  "password",
  "currentPassword",
  "newPassword",
  "code",
  "reason",
  "price",
  "deposit",
  "capacity",
  "status",
  "role",
  "rules",
  "fields",
  "locale",
  "provider",
  "channel",
  "action",
  "amount",
];

const formData = fc.dictionary(fc.constantFrom(...FIELDS), nastyString, { maxKeys: 8 }).map((o) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(o)) fd.append(k, v);
  return fd;
});
const argument = fc.oneof(formData, nastyValue, fc.constant(undefined), fc.constant(null));

/**
 * What Next.js does with a thrown error of its own: a redirect, or a 401/403/404 page. Outside its
 * runtime unauthorized() and forbidden() throw naming themselves (lib/actions.test.ts).
 */
const nextControlFlow = (e: unknown) => {
  const digest = (e as { digest?: unknown })?.digest;
  if (typeof digest === "string" && /^(NEXT_REDIRECT|NEXT_HTTP_ERROR_FALLBACK;(401|403|404)|NEXT_NOT_FOUND)/.test(digest)) return true;
  return e instanceof Error && /^`(unauthorized|forbidden)\(\)`/.test(e.message);
};

describe("fuzz: every server action with garbage arguments", () => {
  it("finds the actions", () => {
    expect(files.length).toBeGreaterThan(15);
    expect(actions.length).toBeGreaterThan(40);
  });

  it(`${RUNS} calls: a result or Next.js control flow, never a throw; no INTERNAL answer to a garbage form`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: 10_000 }),
        fc.constantFrom("anonymous", "customer", "staff", "admin"),
        fc.oneof(
          fc.array(argument, { maxLength: 3 }),
          formData.map((fd) => [null, fd] as unknown[]),
        ),
        async (i, who, args) => {
          const action = actions[i % actions.length]!;
          session.user = users[who] ?? null;
          const where = `${action.name} as ${who} with ${fc.stringify(args.map((a) => (a instanceof FormData ? [...a.entries()] : a))).slice(0, 300)}`;
          let result: unknown;
          try {
            result = await action.fn(...args);
          } catch (e) {
            expect(nextControlFlow(e), `${where} threw ${String(e)}`).toBe(true);
            return;
          }
          if (result && typeof result === "object" && "ok" in result) {
            // Garbage in a form's fields is an expected failure. Arguments of the wrong type altogether
            // (no FormData where the form sends one) may still end in the wrapper's logged generic answer.
            if (args[1] instanceof FormData) expect((result as { code?: string }).code, where).not.toBe("INTERNAL");
            const r = result as { ok: boolean; message?: unknown; fieldErrors?: unknown };
            if (r.ok === false) expect(typeof r.message === "string" || typeof r.fieldErrors === "object", where).toBe(true);
          }
        },
      ),
      { numRuns: RUNS, seed: fuzzSeed() },
    );
  }, 240_000);
});
