import "server-only";
import { getCache } from "@/lib/cache";
import { AppError } from "@/lib/errors";

/**
 * Failed-attempt limits on the cache's atomic INCR (+ expiry on a window's first hit), so they work
 * the same on Redis over TCP, Upstash REST and the in-memory cache. A cache outage lets requests
 * through: the limit slows guessing down, it is not what keeps data correct.
 */
const windowKey = (bucket: string, key: string, windowSeconds: number) =>
  `rl:${bucket}:${key}:${Math.floor(Date.now() / 1000 / windowSeconds)}`;

export type Limit = { bucket: string; key: string; max: number; windowSeconds: number };

/** Throws RATE_LIMITED when any of the limits already counted `max` failures in its window. */
export async function assertUnderLimits(limits: Limit[]): Promise<void> {
  for (const l of limits) {
    const count = await getCache()
      .get<number>(windowKey(l.bucket, l.key, l.windowSeconds))
      .catch(() => null);
    if ((count ?? 0) >= l.max) {
      throw new AppError("RATE_LIMITED", "rateLimited", {
        retryAfterSeconds: l.windowSeconds,
      });
    }
  }
}

export async function countFailure(limits: Limit[]): Promise<void> {
  for (const l of limits)
    await getCache()
      .incr(windowKey(l.bucket, l.key, l.windowSeconds), l.windowSeconds)
      .catch(() => 0);
}

/** Password guessing: 10 failures per account and 50 per address in 5 minutes. */
export function loginLimits(identifier: string, ip: string): Limit[] {
  return [
    { bucket: "login-id", key: identifier.trim().toLowerCase(), max: 10, windowSeconds: 300 },
    { bucket: "login-ip", key: ip, max: 50, windowSeconds: 300 },
  ];
}

/** The one reading of the caller's address: as the load balancer reports it (first X-Forwarded-For hop, else X-Real-IP). */
export function clientIp(headers: Headers, fallback = "local"): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip")?.trim() || fallback;
}
