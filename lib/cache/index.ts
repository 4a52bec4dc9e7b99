import "server-only";
import { randomUUID } from "node:crypto";
import { env, type Env } from "@/lib/env";
import { createMemoryCache } from "./memory";
import { createRedisTcpCache } from "./redis-tcp";
import type { Cache } from "./types";
import { createUpstashCache } from "./upstash";
import { log } from "@/lib/log";

export type { Cache, CacheKind, SetOptions } from "./types";

/**
 * Entry point of the cache. Production code calls `getCache()` (or the `cached()` /
 * `invalidate()` helpers); tests build their own instances with `createCache()`.
 * PostgreSQL stays the source of truth: every helper here treats a cache failure as a
 * miss, so an outage slows pages down but never breaks them.
 */

export type CacheConfig =
  | { kind: "memory"; prefix: string }
  | {
      kind: "redis";
      url: string;
      prefix: string;
      connectTimeoutMs?: number;
      commandTimeoutMs?: number;
      retryAfterMs?: number;
      clientName?: string;
    }
  | { kind: "upstash"; url: string; token: string; prefix: string; timeoutMs?: number; retries?: number };

export function createCache(config: CacheConfig): Cache {
  switch (config.kind) {
    case "memory":
      return createMemoryCache(config);
    case "redis":
      return createRedisTcpCache(config);
    case "upstash":
      return createUpstashCache(config);
  }
}

/** REDIS_URL wins, then the Upstash pair, else the in-process cache of the embedded default. */
export function cacheConfigFromEnv(e: Env = env): CacheConfig {
  const prefix = e.CACHE_PREFIX;
  if (e.REDIS_URL) {
    return {
      kind: "redis",
      url: e.REDIS_URL,
      prefix,
      clientName: "yuyue-cache",
      connectTimeoutMs: e.CACHE_CONNECT_TIMEOUT_MS,
      commandTimeoutMs: e.CACHE_COMMAND_TIMEOUT_MS,
    };
  }
  if (e.UPSTASH_REDIS_REST_URL && e.UPSTASH_REDIS_REST_TOKEN) {
    return {
      kind: "upstash",
      url: e.UPSTASH_REDIS_REST_URL,
      token: e.UPSTASH_REDIS_REST_TOKEN,
      prefix,
      timeoutMs: e.CACHE_REQUEST_TIMEOUT_MS,
    };
  }
  return { kind: "memory", prefix };
}

// On globalThis so Next.js dev reloads and duplicated module graphs share one client.
const holder = globalThis as typeof globalThis & { __yuyueCache?: Cache };

export function getCache(): Cache {
  holder.__yuyueCache ??= createCache(cacheConfigFromEnv());
  return holder.__yuyueCache;
}

/** The given cache, else the shared one; undefined (logged) if it cannot even be built. */
export function resolveCache(cache: Cache | undefined): Cache | undefined {
  try {
    return cache ?? getCache();
  } catch (err) {
    warnCacheError("create", "", err);
    return undefined;
  }
}

const WARN_EVERY_MS = 30_000;
let lastWarnAt = 0;

/** Logs a cache failure at most every 30 s, so an outage does not flood the logs. */
export function warnCacheError(op: string, key: string, err: unknown): void {
  const now = Date.now();
  if (now - lastWarnAt < WARN_EVERY_MS) return;
  lastWarnAt = now;
  const reason = err instanceof Error ? err.message : String(err);
  log.warn(`[cache] ${op}${key ? ` ${key}` : ""} failed, continuing without cache: ${reason}`);
}

/** Loads in flight per cache and key, so concurrent misses run the loader once. */
const inflight = new WeakMap<Cache, Map<string, Promise<unknown>>>();

/**
 * Read-through: returns the cached value, or runs `loader`, stores its result for
 * `ttlSeconds` and returns it. Cache errors count as misses and never reach the caller;
 * loader errors do. `null`/`undefined` results are returned but not stored.
 */
export async function cached<T>(key: string, ttlSeconds: number, loader: () => Promise<T>, cacheOrDefault?: Cache): Promise<T> {
  const cache = resolveCache(cacheOrDefault);
  if (!cache) return loader();
  try {
    const hit = await cache.get<T>(key);
    if (hit !== null) return hit;
  } catch (err) {
    warnCacheError("get", key, err);
  }

  let loads = inflight.get(cache);
  if (!loads) inflight.set(cache, (loads = new Map()));
  const pending = loads.get(key);
  if (pending) return pending as Promise<T>;

  const load = (async () => {
    const value = await loader();
    if (value !== null && value !== undefined) {
      try {
        await cache.set(key, value, { ttlSeconds });
      } catch (err) {
        warnCacheError("set", key, err);
      }
    }
    return value;
  })();
  loads.set(key, load);
  try {
    return await load;
  } finally {
    loads.delete(key);
  }
}

/** Deletes keys after a write to the source of truth; never throws (TTLs bound staleness). */
export async function invalidate(...keys: string[]): Promise<void> {
  await invalidateIn(undefined, keys);
}

/** `invalidate` on a given cache (undefined = the shared one). */
export async function invalidateIn(cacheOrDefault: Cache | undefined, keys: readonly string[]): Promise<void> {
  const cache = resolveCache(cacheOrDefault);
  if (!cache || keys.length === 0) return;
  try {
    await cache.del(...keys);
  } catch (err) {
    warnCacheError("del", keys.join(","), err);
  }
}

/** Generation tokens outlive any entry written under them by far; an expired one reads as "0". */
const GENERATION_TTL_SECONDS = 7 * 86_400;
const generationKey = (group: string) => `${group}:gen`;

/**
 * `cached`, for data a write can change while a read is loading it. Entries live under the
 * group's current generation token; `invalidateGenerations` replaces the token after the write
 * commits. A read that loaded the old data before the commit stores it under the old token,
 * where nobody looks again, so the next read after the invalidation always loads afresh (a plain
 * delete loses that race: the slow read re-fills the key with the old data after the delete).
 */
export async function cachedInGeneration<T>(
  group: string,
  ttlSeconds: number,
  loader: () => Promise<T>,
  cacheOrDefault?: Cache,
): Promise<T> {
  const cache = resolveCache(cacheOrDefault);
  if (!cache) return loader();
  let generation: string | null;
  try {
    generation = await cache.get<string>(generationKey(group));
  } catch (err) {
    // Without the token a stored entry could be stale: read the source of truth.
    warnCacheError("get", generationKey(group), err);
    return loader();
  }
  return cached(`${group}@${generation ?? "0"}`, ttlSeconds, loader, cache);
}

/** Starts new generations for the groups: their cached entries are never read again. Never throws. */
export async function invalidateGenerations(groups: readonly string[], cacheOrDefault?: Cache): Promise<void> {
  const cache = resolveCache(cacheOrDefault);
  if (!cache || groups.length === 0) return;
  try {
    await Promise.all(groups.map((g) => cache.set(generationKey(g), randomUUID(), { ttlSeconds: GENERATION_TTL_SECONDS })));
  } catch (err) {
    warnCacheError("set", groups.map(generationKey).join(","), err);
  }
}

/** For /api/health: "ok" when the cache answers a PING within `timeoutMs`. */
export async function cacheHealth(cacheOrDefault?: Cache, timeoutMs = 1000): Promise<"ok" | "down"> {
  const cache = resolveCache(cacheOrDefault);
  if (!cache) return "down";
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return (await Promise.race([cache.ping(), timeout])) ? "ok" : "down";
  } catch {
    return "down";
  } finally {
    clearTimeout(timer);
  }
}

/** An entry cached under a generation group (see `cachedInGeneration`); `key` defaults to the group. */
export type GenerationItem = { group: string; key?: string };

/** A cached value together with the generation token current when it was loaded. */
type Stamped<T> = { g: string; v: T };

const stampedKey = (item: GenerationItem) => `${item.key ?? item.group}@g`;

/**
 * What one MGET finds for `items`: every group's generation token and every entry, read together
 * (MGET is atomic), so a whole month of day lists costs one round trip. An entry stamped with
 * another token than the current one was loaded before an invalidation and reads as a miss: the
 * same guarantee as `cachedInGeneration`. Null when the cache is unavailable (read the database).
 */
export async function readGenerations<T>(
  items: readonly GenerationItem[],
  cacheOrDefault?: Cache,
): Promise<{ values: (T | null)[]; tokens: string[] } | null> {
  const cache = resolveCache(cacheOrDefault);
  if (!cache || items.length === 0) return null;
  try {
    const raw = await cache.mget<unknown>([...items.map((i) => generationKey(i.group)), ...items.map(stampedKey)]);
    const tokens = items.map((_, n) => (typeof raw[n] === "string" ? (raw[n] as string) : "0"));
    const values = items.map((_, n) => {
      const entry = raw[items.length + n] as Stamped<T> | null | undefined;
      return entry && entry.g === tokens[n] ? entry.v : null;
    });
    return { values, tokens };
  } catch (err) {
    warnCacheError("mget", items.map((i) => i.group).join(","), err);
    return null;
  }
}

/** Stores values loaded after `readGenerations`, stamped with the tokens it read. Never throws. */
export async function storeGenerations<T>(
  entries: readonly { item: GenerationItem; token: string; value: T }[],
  ttlSeconds: number,
  cacheOrDefault?: Cache,
): Promise<void> {
  const cache = resolveCache(cacheOrDefault);
  if (!cache || entries.length === 0) return;
  try {
    await Promise.all(entries.map((e) => cache.set(stampedKey(e.item), { g: e.token, v: e.value } satisfies Stamped<T>, { ttlSeconds })));
  } catch (err) {
    warnCacheError("set", entries.map((e) => stampedKey(e.item)).join(","), err);
  }
}

/**
 * `cachedInGeneration` for several entries in one MGET; `loadMissing` gets the indexes of the
 * misses and returns their values in that order.
 */
export async function cachedManyInGeneration<T>(
  items: readonly GenerationItem[],
  ttlSeconds: number,
  loadMissing: (indexes: number[]) => Promise<T[]>,
  cacheOrDefault?: Cache,
): Promise<T[]> {
  const read = await readGenerations<T>(items, cacheOrDefault);
  const values: (T | null)[] = read?.values ?? items.map(() => null);
  const missing = values.flatMap((v, n) => (v === null ? [n] : []));
  if (missing.length === 0) return values as T[];
  const loaded = await loadMissing(missing);
  missing.forEach((n, k) => (values[n] = loaded[k] as T));
  if (read) {
    const tokens = read.tokens;
    await storeGenerations(
      missing.map((n, k) => ({ item: items[n]!, token: tokens[n]!, value: loaded[k] as T })),
      ttlSeconds,
      cacheOrDefault,
    );
  }
  return values as T[];
}
