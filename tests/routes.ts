import { NextRequest } from "next/server";

/** Calls a route handler the way Next.js does, from a given client address (as the edge leaves it). */
export async function callRoute(
  handler: (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>,
  opts: {
    method?: string;
    path: string;
    ip: string;
    token?: string;
    body?: unknown;
    headers?: Record<string, string>;
    params?: Record<string, string>;
  },
): Promise<Response> {
  const headers: Record<string, string> = { "x-forwarded-for": opts.ip, ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined && typeof opts.body !== "string") headers["content-type"] = "application/json";
  const body = opts.body === undefined ? undefined : typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
  const req = new NextRequest(`http://127.0.0.1${opts.path}`, { method: opts.method ?? (body ? "POST" : "GET"), headers, body });
  return handler(req, { params: Promise.resolve(opts.params ?? {}) });
}
