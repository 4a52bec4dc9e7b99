import { randomBytes } from "node:crypto";
import { once } from "node:events";
import net from "node:net";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startUpstashShim, type UpstashShim } from "@/tests/upstash-shim";
import { env } from "@/lib/env";
import {
  cacheConfigFromEnv,
  cached,
  cachedInGeneration,
  cachedManyInGeneration,
  cacheHealth,
  createCache,
  invalidateGenerations,
  invalidateIn,
  readGenerations,
  storeGenerations,
  type Cache,
  type CacheConfig,
} from "./index";

/**
 * One contract, three adapters: memory, Redis over TCP, and Upstash REST through the local
 * shim into the same redis-server. With REDIS_URL set, an unreachable Redis fails the run;
 * without it, the Redis-backed cases skip with a message.
 */

const redisUrl = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const redisRequired = Boolean(process.env.REDIS_URL);
const runPrefix = `yuyue-test-cache-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}:`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const admin = createClient({ url: redisUrl, socket: { reconnectStrategy: false, connectTimeout: 1000 } });
admin.on("error", () => {});
const redisUp = await admin.connect().then(
  () => true,
  () => false,
);
const skipRedis = !redisUp && !redisRequired;
const noRedis = () => new Error(`REDIS_URL is set but Redis at ${redisUrl} is unreachable`);
if (skipRedis) console.warn(`[cache test] no Redis at ${redisUrl}: Redis-backed cases skipped`);

let shim: UpstashShim | undefined;
const shimToken = randomBytes(16).toString("hex");
const opened: Cache[] = [];

beforeAll(async () => {
  if (redisUp) shim = await startUpstashShim({ redisUrl, token: shimToken });
});

afterAll(async () => {
  for (const cache of opened) await cache.close();
  await shim?.close();
  if (!redisUp) return;
  const keys: string[] = [];
  for await (const batch of admin.scanIterator({ MATCH: `${runPrefix}*`, COUNT: 500 })) keys.push(...batch);
  if (keys.length > 0) await admin.del(keys);
  await admin.close();
});

type Adapter = { name: "memory" | "redis" | "upstash"; needsRedis: boolean; config(prefix: string): CacheConfig };

const adapters: Adapter[] = [
  { name: "memory", needsRedis: false, config: (prefix) => ({ kind: "memory", prefix }) },
  { name: "redis", needsRedis: true, config: (prefix) => ({ kind: "redis", url: redisUrl, prefix }) },
  {
    name: "upstash",
    needsRedis: true,
    config: (prefix) => ({ kind: "upstash", url: (shim ?? raise(noRedis())).url, token: shimToken, prefix }),
  },
];

function raise(err: Error): never {
  throw err;
}

function open(config: CacheConfig): Cache {
  const cache = createCache(config);
  opened.push(cache);
  return cache;
}

if (skipRedis) {
  describe("redis-backed cache adapters", () => {
    it.skip(`skipped: no Redis at ${redisUrl} (set REDIS_URL to make this a failure)`, () => {});
  });
}

describe.each(adapters.filter((a) => !(a.needsRedis && skipRedis)))("cache contract: $name", (adapter) => {
  let cache: Cache;
  let n = 0;
  const key = (label: string) => `${label}:${++n}`;

  beforeAll(() => {
    cache = open(adapter.config(`${runPrefix}${adapter.name}:`));
  });

  it("reports its kind and answers ping", async () => {
    expect(cache.kind).toBe(adapter.name);
    expect(await cache.ping()).toBe(true);
  });

  it("round-trips JSON values", async () => {
    const values: unknown[] = [
      { id: "b1", seats: 2, tags: ["a", "b"], nested: { ok: true, none: null } },
      [1, "two", { three: 3 }],
      ...["预约 ✓ plain string", "123", 42, 0, false],
    ];
    for (const value of values) {
      const k = key("json");
      await cache.set(k, value);
      expect(await cache.get(k)).toEqual(value);
    }
  });

  it("reads several keys in one MGET, null for the missing ones", async () => {
    const [a, b] = [key("mget"), key("mget")];
    await cache.set(a, { day: [1, 2] });
    await cache.set(b, "two");
    expect(await cache.mget([a, key("never-set"), b])).toEqual([{ day: [1, 2] }, null, "two"]);
    expect(await cache.mget([])).toEqual([]);
  });

  it("serves many generation entries from one read, and never one loaded before its invalidation", async () => {
    const [x, y] = [key("many"), key("many")];
    const source: Record<string, string> = { [x]: "x1", [y]: "y1" };
    const loads: string[][] = [];
    const load = async (items: string[]) => {
      loads.push(items);
      return items.map((k) => source[k]!);
    };
    const read = () => cachedManyInGeneration([{ group: x }, { group: y }], 60, (n) => load(n.map((i) => [x, y][i]!)), cache);
    expect(await read()).toEqual(["x1", "y1"]);
    expect(await read()).toEqual(["x1", "y1"]);
    expect(loads).toEqual([[x, y]]);
    // A read that saw the old generation stores its (old) value after the write's invalidation.
    const before = await readGenerations<string>([{ group: y }], cache);
    source[y] = "y2";
    await invalidateGenerations([y], cache);
    await storeGenerations([{ item: { group: y }, token: before!.tokens[0]!, value: "y1" }], 60, cache);
    expect(await read()).toEqual(["x1", "y2"]);
    expect(loads).toEqual([[x, y], [y]]);
  });

  it("returns null for a missing key", async () => {
    expect(await cache.get(key("missing"))).toBeNull();
  });

  it("expires values after their ttl, and set replaces value and ttl", async () => {
    const k = key("ttl");
    await cache.set(k, { v: 1 }, { ttlSeconds: 0.3 });
    expect(await cache.get(k)).toEqual({ v: 1 });
    const kept = key("kept");
    await cache.set(kept, "short", { ttlSeconds: 0.3 });
    await cache.set(kept, "forever");
    await sleep(450);
    expect(await cache.get(k)).toBeNull();
    expect(await cache.get(kept)).toBe("forever");
  });

  it("deletes several keys at once and counts only existing ones", async () => {
    const [a, b, c] = [key("del"), key("del"), key("del")];
    for (const [i, k] of [a, b, c].entries()) await cache.set(k, i);
    expect(await cache.del(a, b, key("never-set"))).toBe(2);
    expect([await cache.get(a), await cache.get(b), await cache.get(c)]).toEqual([null, null, 2]);
    expect(await cache.del()).toBe(0);
  });

  it("increments counters and expires them from their first increment", async () => {
    const plain = key("incr");
    expect(await cache.incr(plain)).toBe(1);
    expect(await cache.incr(plain)).toBe(2);
    expect(await cache.get(plain)).toBe(2);

    const windowed = key("window");
    expect(await cache.incr(windowed, 0.6)).toBe(1);
    await sleep(250);
    expect(await cache.incr(windowed, 0.6)).toBe(2); // must not push the expiry back
    await sleep(500);
    expect(await cache.get(windowed)).toBeNull();
    expect(await cache.incr(windowed, 0.6)).toBe(1);
  });

  it("isolates caches with different prefixes", async () => {
    const other = open(adapter.config(`${runPrefix}${adapter.name}-other:`));
    const k = key("shared-name");
    await cache.set(k, "mine");
    expect(await other.get(k)).toBeNull();
    await other.set(k, "theirs");
    expect(await other.incr(`${k}:n`)).toBe(1);
    expect(await cache.get(k)).toBe("mine");
    expect(await other.del(k)).toBe(1);
    expect(await cache.get(k)).toBe("mine");
    expect(await cache.get(`${k}:n`)).toBeNull();
  });

  it("serves cached() from the cache until invalidated", async () => {
    const k = key("cached");
    let calls = 0;
    const loader = async () => ({ calls: ++calls });
    expect(await cached(k, 60, loader, cache)).toEqual({ calls: 1 });
    expect(await cached(k, 60, loader, cache)).toEqual({ calls: 1 });
    await invalidateIn(cache, [k]);
    expect(await cached(k, 60, loader, cache)).toEqual({ calls: 2 });
    expect(await cacheHealth(cache)).toBe("ok");
  });

  it("never serves what a read loaded before an invalidation to a read after it", async () => {
    const k = key("generation");
    let source = "old";
    let release!: () => void;
    let loading!: () => void;
    const paused = new Promise<void>((r) => (release = r));
    const started = new Promise<void>((r) => (loading = r));
    // A slow read takes the old value from the source, then the write commits and invalidates.
    const slow = cachedInGeneration(
      k,
      60,
      async () => {
        const seen = source;
        loading();
        await paused;
        return seen;
      },
      cache,
    );
    await started;
    source = "new";
    await invalidateGenerations([k], cache);
    release();
    expect(await slow).toBe("old");
    const load = async () => source;
    expect(await cachedInGeneration(k, 60, load, cache)).toBe("new");
    source = "newer";
    expect(await cachedInGeneration(k, 60, load, cache)).toBe("new");
    await invalidateGenerations([k], cache);
    expect(await cachedInGeneration(k, 60, load, cache)).toBe("newer");
  });
});

describe.skipIf(skipRedis)("upstash shim", () => {
  it("was driven with base64 encoding, auto-pipelining and MULTI/EXEC", () => {
    // Runs after the contract cases above (vitest keeps file order within a file).
    const requests = shim?.requests ?? new Map<string, number>();
    expect(requests.get("/pipeline base64")).toBeGreaterThan(0);
    expect(requests.get("/multi-exec base64")).toBeGreaterThan(0);
  });

  it("rejects a wrong token with 401 and reports Redis errors the Upstash way", async () => {
    const url = (shim ?? raise(noRedis())).url;
    const post = (path: string, body: unknown, token = shimToken) =>
      fetch(url + path, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    const denied = await post("/", ["PING"], "wrong");
    expect([denied.status, await denied.json()]).toEqual([401, { error: "Unauthorized" }]);
    const bad = await post("/", ["GET"]);
    expect([bad.status, await bad.json()]).toEqual([400, { error: expect.stringMatching(/wrong number/) }]);
    const mixed = await post("/pipeline", [["PING"], ["INCR", `${runPrefix}not-a-number`, "x"]]);
    expect(await mixed.json()).toEqual([{ result: "PONG" }, { error: expect.stringMatching(/^ERR/) }]);
  });
});

it("picks the adapter from env: REDIS_URL, then the Upstash pair, else memory", () => {
  const upstash = { UPSTASH_REDIS_REST_URL: "https://u.example", UPSTASH_REDIS_REST_TOKEN: "t" };
  const none = { REDIS_URL: undefined, UPSTASH_REDIS_REST_URL: undefined, UPSTASH_REDIS_REST_TOKEN: undefined };
  const kind = (over: object) => cacheConfigFromEnv({ ...env, ...none, ...over }).kind;
  expect(kind({ REDIS_URL: "redis://r:6379", ...upstash })).toBe("redis");
  expect(kind(upstash)).toBe("upstash");
  expect(kind({ UPSTASH_REDIS_REST_URL: "https://u.example" })).toBe("memory");
  expect(cacheConfigFromEnv({ ...env, ...none, CACHE_PREFIX: "p:" })).toEqual({ kind: "memory", prefix: "p:" });
});

describe("cache outage", () => {
  const dead: CacheConfig[] = [
    { kind: "redis", url: "redis://127.0.0.1:6390", prefix: runPrefix },
    { kind: "upstash", url: "http://127.0.0.1:6390", token: "t", prefix: runPrefix },
  ];

  it.each(dead)("$kind: cached() falls back to the loader quickly and health says down", async (config) => {
    const cache = open(config);
    const started = performance.now();
    let calls = 0;
    for (let i = 0; i < 3; i++) {
      expect(await cached("outage", 60, async () => `fresh-${++calls}`, cache)).toBe(`fresh-${calls}`);
    }
    await invalidateIn(cache, ["outage"]);
    expect(calls).toBe(3);
    expect(await cacheHealth(cache)).toBe("down");
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("rejects raw commands within about a second when Redis is down or hung", async () => {
    const silent = net.createServer(() => {}).listen(0, "127.0.0.1"); // accepts, never answers
    await once(silent, "listening");
    const { port } = silent.address() as net.AddressInfo;
    for (const url of ["redis://127.0.0.1:6390", `redis://127.0.0.1:${port}`]) {
      const cache = open({ kind: "redis", url, prefix: runPrefix, retryAfterMs: 0 });
      for (const op of [() => cache.get("x"), () => cache.set("x", 1), () => cache.incr("x", 5)]) {
        const started = performance.now();
        await expect(op()).rejects.toThrow();
        expect(performance.now() - started).toBeLessThan(1500);
      }
    }
    silent.close();
  });

  it.skipIf(skipRedis)("reconnects on the next command after the server drops the connection", async () => {
    const name = `yuyue-cache-test-${randomBytes(3).toString("hex")}`;
    const cache = open({ kind: "redis", url: redisUrl, prefix: runPrefix, clientName: name, retryAfterMs: 0 });
    await cache.set("drop", "before");
    const victim = (await admin.clientList()).find((c) => c.name === name) ?? raise(new Error("no client"));
    await admin.clientKill({ filter: "ID", id: Number(victim.id) });
    await sleep(50);
    expect(await cache.get("drop")).toBe("before");
  });
});
