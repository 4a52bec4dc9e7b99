import { Redis } from "@upstash/redis";
import { encodeValue, decodeValue, ttlToMs, type Cache, type SetOptions } from "./types";

/**
 * Upstash Redis over its REST API. The client keeps its defaults (base64 response
 * encoding, auto-pipelining: concurrent commands share one `/pipeline` request); we only
 * bound each HTTP request and cut the retries, so an outage costs a request at most
 * about `timeoutMs` plus one short backoff instead of the default five retries.
 *
 * Values are our own JSON text (automatic deserialisation off), so what the TCP adapter
 * writes this one reads back identically and vice versa.
 */

export interface UpstashCacheConfig {
  url: string;
  token: string;
  prefix: string;
  /** Per HTTP request. */
  timeoutMs?: number;
  /** Retries on network errors (not on Redis errors). */
  retries?: number;
}

export function createUpstashCache(config: UpstashCacheConfig): Cache {
  const timeoutMs = config.timeoutMs ?? 1000;
  const prefix = config.prefix;
  const redis = new Redis({
    url: config.url,
    token: config.token,
    automaticDeserialization: false,
    enableTelemetry: false,
    retry: { retries: config.retries ?? 1, backoff: () => 50 },
    // A function, so every request gets a fresh timer rather than one shared signal.
    signal: () => AbortSignal.timeout(timeoutMs),
  });

  return {
    kind: "upstash",
    prefix,

    async get<T>(key: string): Promise<T | null> {
      return decodeValue<T>(await redis.get<string>(prefix + key));
    },

    async mget<T>(keys: readonly string[]): Promise<(T | null)[]> {
      if (keys.length === 0) return [];
      const raw = await redis.mget<(string | null)[]>(...keys.map((k) => prefix + k));
      return raw.map((v) => decodeValue<T>(v));
    },

    async set(key: string, value: unknown, options?: SetOptions): Promise<void> {
      const json = encodeValue(value);
      const ttl = options?.ttlSeconds;
      if (ttl === undefined) await redis.set(prefix + key, json);
      else await redis.set(prefix + key, json, { px: ttlToMs(ttl) });
    },

    async del(...keys: string[]): Promise<number> {
      if (keys.length === 0) return 0;
      return redis.del(...keys.map((k) => prefix + k));
    },

    async eval(script: string, keys: string[], args: (string | number)[]): Promise<unknown> {
      return redis.eval(
        script,
        keys.map((k) => prefix + k),
        args.map(String),
      );
    },

    async incr(key: string, ttlSeconds?: number): Promise<number> {
      const k = prefix + key;
      if (ttlSeconds === undefined) return redis.incr(k);
      const ttlMs = ttlToMs(ttlSeconds);
      // MULTI/EXEC (the /multi-exec endpoint) so the counter never lives without expiry.
      const [count] = await redis.multi().incr(k).pexpire(k, ttlMs, "NX").exec<[number, number]>();
      return count;
    },

    async ping(): Promise<boolean> {
      return (await redis.ping()) === "PONG";
    },

    async close(): Promise<void> {
      // Stateless HTTP: nothing to release.
    },
  };
}
