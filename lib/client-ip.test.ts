import { describe, expect, it } from "vitest";
import { parseTrustedProxies, resolveClientAddress, sanitizeForwardedHeaders } from "./client-ip";

describe("client address", () => {
  const none = parseTrustedProxies(undefined);
  const lb = parseTrustedProxies("10.0.0.0/8, 192.0.2.7");

  it("ignores a client-written X-Forwarded-For unless the peer is a trusted proxy", () => {
    expect(resolveClientAddress("203.0.113.5", "1.2.3.4", none)).toBe("203.0.113.5");
    expect(resolveClientAddress("::ffff:203.0.113.5", "1.2.3.4", lb)).toBe("203.0.113.5");
    // Behind the load balancer: the hop it appended is the client; what the client wrote before it is not.
    expect(resolveClientAddress("10.1.2.3", "6.6.6.6, 198.51.100.9", lb)).toBe("198.51.100.9");
    // Two trusted hops are skipped.
    expect(resolveClientAddress("10.1.2.3", "6.6.6.6, 198.51.100.9, 192.0.2.7", lb)).toBe("198.51.100.9");
    expect(resolveClientAddress(undefined, undefined, none)).toBe("unknown");
  });

  it("rewrites forwarded headers at the edge; X-Forwarded-Host survives only from a trusted proxy", () => {
    const direct = {
      headers: { "x-forwarded-for": "1.2.3.4", "x-forwarded-host": "evil.example", "x-real-ip": "5.5.5.5" } as Record<
        string,
        string | undefined
      >,
      socket: { remoteAddress: "203.0.113.5" },
    };
    sanitizeForwardedHeaders(direct, lb);
    expect(direct.headers).toEqual({ "x-forwarded-for": "203.0.113.5" });

    const proxied = {
      headers: { "x-forwarded-for": "198.51.100.9", "x-forwarded-host": "yuyue.example", "x-forwarded-proto": "https" } as Record<
        string,
        string | undefined
      >,
      socket: { remoteAddress: "10.0.0.2" },
    };
    sanitizeForwardedHeaders(proxied, lb);
    expect(proxied.headers).toEqual({
      "x-forwarded-for": "198.51.100.9",
      "x-forwarded-host": "yuyue.example",
      "x-forwarded-proto": "https",
    });
  });

  it("rejects a TRUSTED_PROXIES entry that is not an address", () => {
    expect(() => parseTrustedProxies("localhost")).toThrow(/TRUSTED_PROXIES/);
  });
});
