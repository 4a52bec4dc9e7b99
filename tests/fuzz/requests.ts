import { readdirSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { NextRequest } from "next/server";

/**
 * Generators of malformed requests for the fuzz tests, and an in-process stand-in for Next.js's
 * dispatch: the proxy first (405, 413, headers), then the route handler the path lands on, with
 * path parameters decoded as Next.js does (a segment that does not decode is handed on raw).
 */

export type RouteModule = Record<string, unknown>;
export type RouteFile = { template: string; dynamic: string[]; catchAll: boolean; file: string };

/** Every route.ts under app/api, as a path template ("[id]" → "{id}", "[...path]" a catch-all). */
export function routeFiles(dir = path.join(process.cwd(), "app/api"), prefix = "/api"): RouteFile[] {
  const out: RouteFile[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isFile() && entry.name === "route.ts") {
      const parts = prefix.split("/");
      out.push({
        template: prefix.replace(/\[(\w+)\]/g, "{$1}"),
        dynamic: parts.flatMap((p) => (/^\[\w+\]$/.test(p) ? [p.slice(1, -1)] : [])),
        catchAll: /\[\.\.\.\w+\]/.test(prefix),
        file: full,
      });
    }
    if (entry.isDirectory()) out.push(...routeFiles(full, `${prefix}/${entry.name}`));
  }
  return out;
}

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Strings that broke or might break something: NUL, bad escapes, year 0000, huge, odd Unicode. */
export const nastyString = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "a\u0000b",
    "%00",
    "%",
    "%E0%A4%A",
    "%ZZ",
    "%C0%AF",
    "0000-00-00",
    "0000-01-01",
    "9999-12-31",
    "2026-02-30",
    "-1",
    "1e309",
    "NaN",
    "null",
    "undefined",
    "true",
    "[]",
    "{}",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\uD800",
    "\uFFFF",
    "😀".repeat(50),
    '=HYPERLINK("x")',
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "x".repeat(5000),
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.uuid(),
  fc.integer().map(String),
);

/** Any value of a wrong or absurd type for a field. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  fc.integer(),
  fc.double(),
  fc.constantFrom(null, true, false, -1, 0, 2 ** 53, Number.MAX_VALUE, 1e308),
  fc.array(nastyString, { maxLength: 3 }),
  fc.dictionary(nastyString, nastyString, { maxKeys: 3 }),
  fc.jsonValue({ maxDepth: 2 }),
);

const badJsonText = fc.constantFrom("{", "[1,", '{"a":}', "\u0000", '"\u0000"', "%7B%7D", "a=1&b=2", "\uFEFF{}", "{}".repeat(1000));

/** A request body: JSON of the route's own field names with wrong values, any JSON, broken JSON, or nothing. */
export function body(fields: string[]): fc.Arbitrary<string | undefined> {
  const named = fields.length
    ? fc.dictionary(fc.constantFrom(...fields), nastyValue, { maxKeys: fields.length }).map((o) => JSON.stringify(o))
    : fc.constant("{}");
  return fc.oneof(
    { weight: 4, arbitrary: named },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: badJsonText },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

/** Percent-encoding that survives lone surrogates (sent as the bytes of one, which no decoder accepts). */
export const escape = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return "%ED%A0%80";
  }
};

export function query(fields: string[]): fc.Arbitrary<string> {
  const keys = fc.constantFrom(...fields, "from", "to", "page", "limit", "status", "q", "date", "\u0000", "%");
  return fc
    .array(fc.tuple(keys, nastyString, fc.boolean()), { maxLength: 4 })
    .map((pairs) => pairs.map(([k, v, raw]) => `${escape(k)}=${raw ? v.replace(/[#\s]/g, "") : escape(v)}`).join("&"));
}

/** A path segment as sent on the wire: usually escaped, sometimes raw and broken. */
export const segment = fc.oneof(
  fc.uuid(),
  nastyString.map((s) => escape(s).slice(0, 300) || "x"),
  fc.constantFrom("%00", "%E0%A4%A", "%", "%ZZ", "0000-01-01", "2026-13-45", "..", "%2F"),
);

const segments = (template: string) => template.split("/");

/** The route a path lands on, with its decoded parameters: a static segment beats a parameter. */
export function match(routes: RouteFile[], pathname: string): { route: RouteFile; params: Record<string, string | string[]> } | undefined {
  const parts = pathname.split("/");
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const candidates = routes
    .filter((r) => !r.catchAll)
    .filter((r) => {
      const t = segments(r.template);
      return t.length === parts.length && t.every((p, i) => p.startsWith("{") || p === parts[i]);
    })
    .sort(
      (a, b) =>
        segments(b.template).filter((p) => !p.startsWith("{")).length - segments(a.template).filter((p) => !p.startsWith("{")).length,
    );
  const found = candidates[0];
  if (found) {
    const params: Record<string, string> = {};
    segments(found.template).forEach((p, i) => {
      if (p.startsWith("{")) params[p.slice(1, -1)] = decode(parts[i]!);
    });
    return { route: found, params };
  }
  const catchAll = routes
    .filter((r) => r.catchAll)
    .map((r) => ({ r, base: r.template.replace(/\/\[\.\.\.\w+\]$/, "") }))
    .filter(({ base }) => pathname.startsWith(`${base}/`))
    .sort((a, b) => b.base.length - a.base.length)[0];
  if (!catchAll) return undefined;
  const name = /\[\.\.\.(\w+)\]/.exec(catchAll.r.template)![1]!;
  return {
    route: catchAll.r,
    params: {
      [name]: pathname
        .slice(catchAll.base.length + 1)
        .split("/")
        .map(decode),
    },
  };
}

export type Sent = { method: string; url: string; headers: Record<string, string>; body?: string };

export function toRequest(s: Sent): NextRequest {
  const hasBody = s.body !== undefined && s.method !== "GET" && s.method !== "HEAD";
  return new NextRequest(s.url, { method: s.method, headers: s.headers, body: hasBody ? s.body : undefined });
}

/**
 * The generators' seed: fixed by default so a CI run is reproducible (a failure names its seed and
 * path); FUZZ_SEED=<n> replays one, FUZZ_SEED=random explores (run it when changing routes or actions).
 */
export function fuzzSeed(): number {
  const wanted = process.env.FUZZ_SEED;
  if (wanted === "random") return Date.now() % 2 ** 31;
  return wanted ? Number(wanted) : 20261203;
}
