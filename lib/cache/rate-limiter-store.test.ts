import { randomBytes } from "node:crypto";
import { createClient } from "redis";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startUpstashShim, type UpstashShim } from "@/tests/upstash-shim";
import { createCache, type Cache } from "./index";
import { RateLimiterCacheStore } from "./rate-limiter-store";

/** The limiter store on Redis over TCP and on Upstash REST (through the local shim into the same Redis). */
const redisUrl = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const redisRequired = Boolean(process.env.REDIS_URL);
const prefix = `yuyue-test-rl-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}:`;

const admin = createClient({ url: redisUrl, socket: { reconnectStrategy: false, connectTimeout: 1000 } });
admin.on("error", () => {});
const redisUp = await admin.connect().then(
  () => true,
  () => false,
);
if (!redisUp && redisRequired) throw new Error(`REDIS_URL is set but Redis at ${redisUrl} is unreachable`);

let shim: UpstashShim | undefined;
const token = randomBytes(16).toString("hex");
const caches: Cache[] = [];
beforeAll(async () => {
  if (redisUp) shim = await startUpstashShim({ redisUrl, token });
});
afterAll(async () => {
  for (const c of caches) await c.close();
  await shim?.close();
  if (!redisUp) return;
  const keys: string[] = [];
  for await (const batch of admin.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) keys.push(...batch);
  if (keys.length > 0) await admin.del(keys);
  await admin.close();
});

const adapters = [
  { name: "redis", open: () => createCache({ kind: "redis", url: redisUrl, prefix }) },
  { name: "upstash", open: () => createCache({ kind: "upstash", url: shim!.url, token, prefix, retries: 0 }) },
] as const;

describe.skipIf(!redisUp).each(adapters)("RateLimiterCacheStore on $name", ({ open }) => {
  const store = (points: number, duration: number) => {
    const cache = open();
    caches.push(cache);
    return new RateLimiterCacheStore(cache, { keyPrefix: `t${randomBytes(4).toString("hex")}`, points, duration });
  };

  it("lets exactly `points` of many parallel requests through, then rejects with the wait", async () => {
    const limiter = store(5, 60);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => limiter.consume("k")));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(rejected).toHaveLength(15);
    for (const r of rejected) {
      expect(r.reason).toBeInstanceOf(RateLimiterRes);
      expect((r.reason as RateLimiterRes).msBeforeNext).toBeGreaterThan(55_000);
    }
    // Another key has its own count.
    await expect(limiter.consume("other")).resolves.toMatchObject({ consumedPoints: 1, remainingPoints: 4 });
  });

  it("reads, penalises, blocks and forgets a key; the window really ends", async () => {
    const limiter = store(2, 1);
    expect(await limiter.get("k")).toBeNull();
    await limiter.penalty("k", 1);
    expect(await limiter.get("k")).toMatchObject({ consumedPoints: 1 });
    await limiter.block("k", 30);
    const blocked = await limiter.get("k");
    expect(blocked?.consumedPoints).toBe(3);
    expect(blocked?.msBeforeNext).toBeGreaterThan(25_000);
    expect(await limiter.delete("k")).toBe(true);
    expect(await limiter.get("k")).toBeNull();
    await limiter.consume("w", 2);
    await expect(limiter.consume("w")).rejects.toBeInstanceOf(RateLimiterRes);
    await new Promise((r) => setTimeout(r, 1100));
    await expect(limiter.consume("w")).resolves.toMatchObject({ consumedPoints: 1 });
  });
});

describe("RateLimiterCacheStore during a cache outage", () => {
  it("falls back to its in-memory insurance limiter instead of failing or letting everything through", async () => {
    const dead = createCache({ kind: "redis", url: "redis://127.0.0.1:1", prefix, connectTimeoutMs: 200 });
    caches.push(dead);
    const insurance = new RateLimiterMemory({ keyPrefix: "ins", points: 2, duration: 60 });
    const limiter = new RateLimiterCacheStore(dead, { keyPrefix: "outage", points: 2, duration: 60, insuranceLimiter: insurance });
    await limiter.consume("k");
    await limiter.consume("k");
    await expect(limiter.consume("k")).rejects.toBeInstanceOf(RateLimiterRes);
  });
});
