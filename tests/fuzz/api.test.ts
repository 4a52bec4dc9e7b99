import fc from "fast-check";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { bookingOperations } from "@/lib/api/operations/booking";
import { notificationOperations } from "@/lib/api/operations/notifications";
import { paymentOperations } from "@/lib/api/operations/payments";
import { dashboardOperations } from "@/lib/api/operations/staff";
import { openApiDocument } from "@/lib/api/openapi";
import { routeMethods } from "@/lib/api/route-methods";
import { issueApiToken } from "@/lib/auth/api-tokens";
import proxy from "@/proxy";
import { setupTestDb, uniq } from "@/tests/db";
import { makeCustomer, makeService, makeSlot } from "@/tests/fixtures";
import {
  body,
  escape,
  fuzzSeed,
  HTTP_METHODS,
  match,
  nastyString,
  query,
  routeFiles,
  segment,
  toRequest,
  type RouteModule,
  type Sent,
} from "./requests";

// next-auth's ESM build cannot load next/server outside Next.js; the proxy's session part serves only /dashboard and /me.
vi.mock("next-auth", () => {
  class AuthError extends Error {}
  class CredentialsSignin extends AuthError {}
  return { default: () => ({ auth: (page: unknown) => page }), AuthError, CredentialsSignin };
});

setupTestDb();

/**
 * A few thousand generated bad requests over every route (openapi.json's and the gateways'), sent
 * through the proxy and the route handler as Next.js would: none may answer 5xx, and every error
 * answer of our API carries { error: { code, message } }. Gateway notify endpoints answer in their
 * gateway's own shape (Alipay's text "failure", WeChat's { code: "FAIL" }, PayPal any 4xx) and must answer 4xx.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 2500);

const doc = openApiDocument([...bookingOperations, ...paymentOperations, ...notificationOperations, ...dashboardOperations]);
type JsonSchemaOp = {
  parameters?: { name: string; in: string }[];
  requestBody?: { content: { "application/json": { schema: { properties?: Record<string, unknown> } } } };
};
const operation = (template: string, method: string) =>
  (doc.paths[template] as Record<string, JsonSchemaOp> | undefined)?.[method.toLowerCase()];
const bodyFields = (template: string, method: string) =>
  Object.keys(operation(template, method)?.requestBody?.content["application/json"].schema.properties ?? {});
const queryFields = (template: string, method: string) =>
  (operation(template, method)?.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name);

const routes = routeFiles().filter((r) => !r.template.startsWith("/api/auth/"));
const modules = new Map<string, RouteModule>();
const tokens: Record<string, string> = {};

beforeAll(async () => {
  for (const r of routes) modules.set(r.file, (await import(r.file)) as RouteModule);
  const db = getDb();
  const customer = await makeCustomer(db);
  const staff = await makeCustomer(db, { role: "staff" });
  const admin = await makeCustomer(db, { role: "admin" });
  tokens.customer = (await issueApiToken(customer.id)).token;
  tokens.staff = (await issueApiToken(staff.id, "fuzz", "staff")).token;
  tokens.admin = (await issueApiToken(admin.id, "fuzz", "staff")).token;
  // Real rows, so some generated ids name something.
  const service = await makeService(db);
  await makeSlot(db, service);
}, 120_000);

/** One request through the proxy and the handler, as `next start` serves it; a throw is what Next.js answers 500. */
async function serve(sent: Sent): Promise<Response> {
  const req = toRequest(sent);
  const early = await proxy(req, { waitUntil: () => undefined } as never);
  if (!early.headers.get("x-middleware-next")) return early;
  const found = match(routes, new URL(sent.url).pathname);
  if (!found) return new Response("no route", { status: 404 });
  const handler = modules.get(found.route.file)?.[sent.method === "HEAD" ? "GET" : sent.method] as
    ((r: Request, c: { params: Promise<unknown> }) => Promise<Response>) | undefined;
  if (!handler) throw new Error(`the proxy let ${sent.method} through to ${found.route.template}, which does not answer it`);
  return handler(toRequest(sent), { params: Promise.resolve(found.params) });
}

const templates = Object.keys(routeMethods);

const request: fc.Arbitrary<Sent> = fc
  .record({
    template: fc.oneof({ weight: 20, arbitrary: fc.constantFrom(...templates) }, { weight: 1, arbitrary: fc.constant("/api/v1/{x}/{y}") }),
    methodPick: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...HTTP_METHODS) }),
    segs: fc.array(segment, { minLength: 3, maxLength: 3 }),
    auth: fc.constantFrom("none", "customer", "staff", "admin", "garbage"),
    lang: fc.constantFrom(undefined, "en", "zh-CN", "xx", "%00", "*;q=abc"),
    contentType: fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "x/%00"),
    seed: fc.nat(),
  })
  .chain((r) => {
    const method = r.methodPick ?? routeMethods[r.template]?.[r.seed % (routeMethods[r.template]?.length ?? 1)] ?? "GET";
    let i = 0;
    const pathname = r.template.replace(/\{\w+\}/g, () => r.segs[i++] ?? "x");
    return fc
      .record({ q: query(queryFields(r.template, method)), b: body(bodyFields(r.template, method)), extra: nastyString })
      .map(({ q, b, extra }) => {
        const headers: Record<string, string> = { "x-forwarded-for": `203.0.113.${r.seed % 250}`, "content-type": r.contentType };
        if (r.lang !== undefined) headers["accept-language"] = r.lang;
        if (r.auth === "garbage") headers.authorization = `Bearer ${escape(extra).slice(0, 200)}`;
        else if (r.auth !== "none") headers.authorization = `Bearer ${tokens[r.auth]}`;
        if (r.seed % 3 === 0) headers["idempotency-key"] = escape(extra).slice(0, 300) || uniq();
        if (r.seed % 7 === 0) headers["wechatpay-signature"] = escape(extra).slice(0, 100) || "x";
        return { method, url: `http://127.0.0.1${pathname}${q ? `?${q}` : ""}`, headers, body: b };
      });
  });

async function check(sent: Sent) {
  // A parameter of ".." can carry the path out of /api: Next.js serves a page there, not an API route.
  if (!new URL(sent.url).pathname.startsWith("/api/")) return;
  const res = await serve(sent);
  const where = `${sent.method} ${sent.url} ${JSON.stringify(sent.body)?.slice(0, 200)}`;
  expect(res.status, where).toBeLessThan(500);
  const path = new URL(sent.url).pathname;
  if (path.startsWith("/api/payments/") && res.status !== 405 && res.status !== 413) {
    // A forged or garbled notice: refused in the gateway's own words, never applied.
    if (path.includes("wechat") || path.includes("paypal")) expect(res.status, where).toBeGreaterThanOrEqual(400);
    else expect(await res.text(), where).toBe("failure");
    return;
  }
  if (res.status >= 400) {
    const json = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
    expect(typeof json.error?.code, where).toBe("string");
    expect(typeof json.error?.message, where).toBe("string");
  }
}

describe("fuzz: bad requests over every API route", () => {
  it(`${RUNS} generated requests: no 5xx, every error in the error shape`, async () => {
    await fc.assert(fc.asyncProperty(request, check), { numRuns: RUNS, seed: fuzzSeed() });
  }, 240_000);

  it("the probe's cases: NUL, year 0000, broken escapes, unknown paths, 405, 413, forged notices", async () => {
    const customer = { authorization: `Bearer ${tokens.customer}`, "content-type": "application/json" };
    const cases: Sent[] = [
      {
        method: "POST",
        url: "http://127.0.0.1/api/v1/auth/register",
        headers: customer,
        body: '{"email":"a\\u0000@x.cn","password":"p\\u0000ssword-long-9","name":"\\u0000"}',
      },
      { method: "GET", url: `http://127.0.0.1/api/v1/services/${crypto.randomUUID()}/availability?from=%00&to=2026-01-01`, headers: {} },
      {
        method: "GET",
        url: `http://127.0.0.1/api/v1/services/${crypto.randomUUID()}/availability?from=0000-01-01&to=0000-01-02`,
        headers: {},
      },
      { method: "GET", url: "http://127.0.0.1/api/v1/bookings/%E0%A4%A", headers: customer },
      { method: "POST", url: "http://127.0.0.1/api/v1/bookings/%00/cancel", headers: customer, body: "{}" },
      { method: "GET", url: "http://127.0.0.1/api/v1/nothing/here", headers: {} },
      { method: "DELETE", url: "http://127.0.0.1/api/v1/services", headers: {} },
      {
        method: "POST",
        url: "http://127.0.0.1/api/v1/bookings",
        headers: customer,
        body: JSON.stringify({ fields: { x: "y".repeat(300_000) } }),
      },
      {
        method: "POST",
        url: "http://127.0.0.1/api/payments/wechat/notify",
        headers: { "wechatpay-signature": "forged", "wechatpay-timestamp": "0" },
        body: '{"resource":{}}',
      },
      {
        method: "POST",
        url: "http://127.0.0.1/api/payments/alipay/notify",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "out_trade_no=%00&sign=x",
      },
    ];
    for (const sent of cases) await check(sent);
    const statuses = [];
    for (const sent of cases) statuses.push((await serve(sent)).status);
    expect(statuses).toEqual([400, 400, 400, 404, 400, 404, 405, 413, 400, 200]);
  });
});
