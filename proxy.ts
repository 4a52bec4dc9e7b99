import NextAuth from "next-auth";
import { NextResponse, type NextFetchEvent, type NextRequest } from "next/server";
import { BODY_LIMIT_BYTES } from "@/lib/api/body";
import { errorResponse } from "@/lib/api/handler";
import { allowedMethods } from "@/lib/api/route-methods";
import { authConfig } from "@/lib/auth/config";
import { env } from "@/lib/env";
import { apiLocale } from "@/lib/i18n/config";
import { localizeText } from "@/lib/i18n/error-text";
import { HSTS, newNonce, NON_PAGE_CSP, overHttps, pageCsp } from "@/lib/security/headers";

const { auth } = NextAuth(authConfig);

// lib/payments/alipay.ts's default, not imported: the proxy stays clear of the gateway SDKs.
const ALIPAY_DEFAULT_GATEWAY = "https://openapi.alipay.com/gateway.do";

/** An /api request refused before its handler runs: a method the route does not answer (405), a body over the limit (413). */
function refuseApi(req: NextRequest): Response | undefined {
  const t = (key: string, params?: Record<string, string | number>) =>
    localizeText(apiLocale(req.headers.get("accept-language"), null), key, params);
  const allow = allowedMethods(req.nextUrl.pathname);
  if (allow && !allow.includes(req.method)) {
    const res = errorResponse("METHOD_NOT_ALLOWED", t("methodNotAllowed", { method: req.method, allow: allow.join(", ") }));
    res.headers.set("Allow", allow.join(", "));
    return res;
  }
  if (Number(req.headers.get("content-length") ?? 0) > BODY_LIMIT_BYTES) {
    return errorResponse("PAYLOAD_TOO_LARGE", t("payloadTooLarge", { kib: BODY_LIMIT_BYTES / 1024 }));
  }
  return undefined;
}

function withHeaders(res: Response, req: NextRequest, csp: string): Response {
  res.headers.set("Content-Security-Policy", csp);
  if (overHttps(req.headers, req.nextUrl)) res.headers.set("Strict-Transport-Security", HSTS);
  return res;
}

/** A page: a fresh nonce in the request's CSP header (Next.js stamps it on its scripts) and the same policy on the answer. */
function pageResponse(req: NextRequest, csp: string): NextResponse {
  const headers = new Headers(req.headers);
  headers.set("Content-Security-Policy", csp);
  return NextResponse.next({ request: { headers } });
}

export default async function proxy(req: NextRequest, event: NextFetchEvent): Promise<Response> {
  const path = req.nextUrl.pathname;
  if (path.startsWith("/api/") || path.startsWith("/sandbox-gateway/")) {
    return withHeaders((path.startsWith("/api/") && refuseApi(req)) || NextResponse.next(), req, NON_PAGE_CSP);
  }
  const csp = pageCsp(newNonce(), {
    dev: env.NODE_ENV === "development",
    formTargets: [env.ALIPAY_GATEWAY ?? ALIPAY_DEFAULT_GATEWAY],
  });
  if (path.startsWith("/dashboard") || path.startsWith("/me")) {
    // Pages that need a session send anonymous visitors to sign in (authConfig.authorized).
    const withSession = auth((r) => pageResponse(r, csp)) as unknown as (r: NextRequest, e: NextFetchEvent) => Promise<Response>;
    return withHeaders(await withSession(req, event), req, csp);
  }
  return withHeaders(pageResponse(req, csp), req, csp);
}

export const config = {
  // Everything but the content-hashed build output and the icons.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|apple-icon).*)"],
};
