import { encodeValue, decodeValue, ScriptingUnsupported, ttlToMs, type Cache, type SetOptions } from "./types";

/**
 * In-process cache for the embedded default (one app server, no Redis). Values are stored
 * as JSON text so callers get a fresh copy, exactly as with the remote adapters. Expired
 * entries are dropped when read and by a sweep every `SWEEP_EVERY` writes.
 */

interface Entry {
  value: string;
  /** Epoch ms; undefined = no expiry. */
  expiresAt: number | undefined;
}

export interface MemoryCacheConfig {
  prefix: string;
  /** Injectable clock (ms) for tests of expiry logic. */
  now?: () => number;
}

const SWEEP_EVERY = 1000;

export function createMemoryCache(config: MemoryCacheConfig): Cache {
  const store = new Map<string, Entry>();
  const now = config.now ?? Date.now;
  const prefix = config.prefix;
  let writes = 0;

  const live = (key: string): Entry | undefined => {
    const entry = store.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= now()) {
      store.delete(key);
      return undefined;
    }
    return entry;
  };

  const write = (key: string, entry: Entry) => {
    store.set(key, entry);
    if (++writes % SWEEP_EVERY === 0) {
      const t = now();
      for (const [k, e] of store) if (e.expiresAt !== undefined && e.expiresAt <= t) store.delete(k);
    }
  };

  return {
    kind: "memory",
    prefix,

    async get<T>(key: string): Promise<T | null> {
      return decodeValue<T>(live(prefix + key)?.value);
    },

    async mget<T>(keys: readonly string[]): Promise<(T | null)[]> {
      return keys.map((k) => decodeValue<T>(live(prefix + k)?.value));
    },

    async set(key: string, value: unknown, options?: SetOptions): Promise<void> {
      const ttl = options?.ttlSeconds;
      const expiresAt = ttl === undefined ? undefined : now() + ttlToMs(ttl);
      write(prefix + key, { value: encodeValue(value), expiresAt });
    },

    async del(...keys: string[]): Promise<number> {
      let removed = 0;
      for (const key of new Set(keys)) {
        if (live(prefix + key) !== undefined) {
          store.delete(prefix + key);
          removed++;
        }
      }
      return removed;
    },

    async eval(): Promise<unknown> {
      throw new ScriptingUnsupported("the in-process cache has no scripting");
    },

    async incr(key: string, ttlSeconds?: number): Promise<number> {
      const ttlMs = ttlSeconds === undefined ? undefined : ttlToMs(ttlSeconds);
      const entry = live(prefix + key);
      const current = entry === undefined ? 0 : Number(entry.value);
      if (!Number.isSafeInteger(current)) {
        throw new Error("ERR value is not an integer or out of range");
      }
      const next = current + 1;
      // Same as INCR + PEXPIRE NX: keep an existing expiry, add one only where none exists.
      const expiresAt = entry?.expiresAt ?? (ttlMs === undefined ? undefined : now() + ttlMs);
      write(prefix + key, { value: String(next), expiresAt });
      return next;
    },

    async ping(): Promise<boolean> {
      return true;
    },

    async close(): Promise<void> {
      // Nothing to release; entries stay so a memoised cache survives a stray close().
    },
  };
}
