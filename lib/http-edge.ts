import type { IncomingMessage } from "node:http";
import { Server } from "node:http";
import { parseTrustedProxies, sanitizeForwardedHeaders } from "@/lib/client-ip";
import { env } from "@/lib/env";

const marker = Symbol.for("yuyue.forwardedHeaderGuard");

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
    if (event === "request") sanitizeForwardedHeaders(args[0] as IncomingMessage, trusted);
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof proto.emit;
  proto[marker] = true;
}
