/**
 * The browser-side defences every answer carries. Static ones (next.config.ts) go on everything;
 * the Content-Security-Policy of a page carries a fresh nonce, so the proxy writes it per request
 * and Next.js puts the same nonce on its own scripts (it reads it from the request's CSP header).
 */

/** On every response, assets included. */
export const staticSecurityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  // Old browsers that ignore CSP's frame-ancestors.
  { key: "X-Frame-Options", value: "DENY" },
  // The staff's QR check-in uses the camera of this origin; nothing else may ask for it.
  { key: "Permissions-Policy", value: "camera=(self), microphone=(), geolocation=(), payment=()" },
];

/** A year, with subdomains: sent only on answers that came over https (or from a trusted proxy that says so). */
export const HSTS = "max-age=31536000; includeSubDomains";

/** A fresh, unguessable nonce for one page answer. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64");
}

/**
 * A page's policy: scripts only with this answer's nonce ('strict-dynamic' lets Next.js's bootstrap
 * load its chunks), no plugins, no framing by anyone, forms posting only here or to the Alipay
 * gateway (its page pay is a form POST). Inline `style` attributes stay allowed: React, recharts
 * and react-big-calendar position with them. Development adds 'unsafe-eval' for React's dev tools.
 */
export function pageCsp(nonce: string, opts: { dev?: boolean; formTargets?: (string | undefined)[] } = {}): string {
  const formTargets = (opts.formTargets ?? []).flatMap((url) => {
    try {
      return url ? [new URL(url).origin] : [];
    } catch {
      return [];
    }
  });
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    `form-action ${["'self'", ...formTargets].join(" ")}`,
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Answers that are not our pages (JSON, the sandbox cashier): no framing, nothing else to restrict. */
export const NON_PAGE_CSP = "frame-ancestors 'none'";

/** Whether the request reached us over https: the forwarded proto survives only from TRUSTED_PROXIES (lib/http-edge.ts). */
export function overHttps(headers: Headers, url: URL): boolean {
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return (proto ?? url.protocol.replace(":", "")) === "https";
}
