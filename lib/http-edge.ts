import type { IncomingMessage, ServerResponse } from "node:http";
import { Server } from "node:http";
import { parseTrustedProxies, sanitizeForwardedHeaders } from "@/lib/client-ip";
import { env } from "@/lib/env";
import { apiLocale } from "@/lib/i18n/config";
import { localizeText } from "@/lib/i18n/error-text";

const marker = Symbol.for("yuyue.forwardedHeaderGuard");

/** Whether a request path decodes: Next.js answers a bare 500 to "/bookings/%E0%A4%A" before any of our code runs. */
export function decodablePath(url: string | undefined): boolean {
  try {
    decodeURIComponent((url ?? "/").split("?")[0]!);
    return true;
  } catch {
    return false;
  }
}

/** A path that does not decode: 400 in the error shape, answered at the edge. */
function refuseUndecodable(req: IncomingMessage, res: ServerResponse): void {
  const accept = req.headers["accept-language"];
  const message = localizeText(apiLocale(Array.isArray(accept) ? accept[0] : accept, null), "badUrlEncoding");
  res.writeHead(400, { "content-type": "application/json; charset=utf-8", "x-content-type-options": "nosniff" });
  res.end(JSON.stringify({ error: { code: "VALIDATION_FAILED", message } }));
}

/**
 * Next.js (`next start`) keeps a client-supplied X-Forwarded-For and only fills it from the socket
 * when it is missing, and route handlers never see the socket. So the process's HTTP servers
 * sanitise forwarded headers on every request before Next.js reads them (see lib/client-ip.ts):
 * the same job a reverse proxy does with `proxy_set_header X-Forwarded-For $remote_addr`.
 */
export function installForwardedHeaderGuard(): void {
  const proto = Server.prototype as Server & { [marker]?: true };
  if (proto[marker]) return;
  const trusted = parseTrustedProxies(env.TRUSTED_PROXIES);
  const emit = proto.emit;
  proto.emit = function (this: Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const req = args[0] as IncomingMessage;
      if (!decodablePath(req.url)) {
        refuseUndecodable(req, args[1] as ServerResponse);
        return true;
      }
      sanitizeForwardedHeaders(req, trusted);
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof proto.emit;
  proto[marker] = true;
}
