import { BlockList, isIP } from "node:net";

/**
 * The one answer to "who is calling": the address the rate limits key on, the payer IP sent to
 * gateways. A client can write any X-Forwarded-For it likes, so forwarded headers count only when
 * the peer that handed us the request is one of TRUSTED_PROXIES (addresses or CIDR ranges); then
 * the chain is walked from the right past every trusted hop. `sanitizeForwardedHeaders` applies
 * this at the edge of the process, so everything later reads a single, trusted X-Forwarded-For.
 */

const bare = (address: string) => address.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");

export function parseTrustedProxies(spec: string | undefined): BlockList {
  const list = new BlockList();
  for (const raw of (spec ?? "").split(",")) {
    const entry = raw.trim();
    if (!entry) continue;
    const [address = "", bits] = entry.split("/");
    const family = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (!isIP(address)) throw new Error(`TRUSTED_PROXIES: "${entry}" is not an address or CIDR range`);
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
  }
  return list;
}

function isTrusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  if (!family) return false;
  return list.check(address, family === 6 ? "ipv6" : "ipv4");
}

/** The client behind `peer`, trusting X-Forwarded-For only as far as trusted proxies wrote it. */
export function resolveClientAddress(peer: string | undefined, forwardedFor: string | undefined, trusted: BlockList): string {
  const hops = [
    ...(forwardedFor ?? "")
      .split(",")
      .map(bare)
      .filter((h) => h !== ""),
  ];
  let client = bare(peer ?? "") || "unknown";
  while (isTrusted(trusted, client) && hops.length > 0) client = hops.pop()!;
  return client;
}

type EdgeRequest = { headers: Record<string, string | string[] | undefined>; socket?: { remoteAddress?: string } };

/**
 * Rewrites an incoming request's forwarded headers before Next.js sees it: X-Forwarded-For becomes
 * the one resolved client address; X-Forwarded-Host/-Proto survive only from a trusted proxy
 * (otherwise Next.js fills them from the connection), so redirects cannot be pointed elsewhere.
 */
export function sanitizeForwardedHeaders(req: EdgeRequest, trusted: BlockList): void {
  const peer = bare(req.socket?.remoteAddress ?? "");
  const xff = req.headers["x-forwarded-for"];
  const forwarded = Array.isArray(xff) ? xff.join(",") : xff;
  req.headers["x-forwarded-for"] = resolveClientAddress(peer, forwarded, trusted);
  delete req.headers["x-real-ip"];
  if (!isTrusted(trusted, peer)) {
    delete req.headers["x-forwarded-host"];
    delete req.headers["x-forwarded-proto"];
    delete req.headers["x-forwarded-port"];
  }
}

/** The caller's address for rate limits and gateways (the edge has already sanitised the header). */
export function clientIp(headers: Headers): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "unknown";
}
