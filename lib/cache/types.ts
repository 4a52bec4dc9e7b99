/**
 * One cache interface over three backends (Redis TCP, Upstash REST, in-process memory).
 * PostgreSQL is the source of truth: the cache may lose any key at any time, so callers
 * must treat every value as a hint and every error as a miss (see `cached()` in ./index).
 *
 * Keys passed in are logical keys; each adapter prepends its `prefix` so several apps or
 * test runs can share one Redis without seeing each other's keys.
 */

export type CacheKind = "redis" | "upstash" | "memory";

export interface SetOptions {
  /** Time to live in seconds; fractions are honoured (millisecond precision). No TTL = keep. */
  ttlSeconds?: number;
}

export interface Cache {
  readonly kind: CacheKind;
  /** The key prefix this adapter prepends (CACHE_PREFIX by default). */
  readonly prefix: string;

  /** The JSON value stored at `key`, or null when missing or expired. */
  get<T>(key: string): Promise<T | null>;

  /** The values at `keys` in one round trip (MGET), null for each missing or expired key. */
  mget<T>(keys: readonly string[]): Promise<(T | null)[]>;

  /** Stores `value` as JSON, replacing any previous value and its TTL. */
  set(key: string, value: unknown, options?: SetOptions): Promise<void>;

  /** Deletes the keys; resolves to how many existed. */
  del(...keys: string[]): Promise<number>;

  /**
   * Atomically increments the integer at `key` (missing counts as 0) and returns the new
   * value. With `ttlSeconds`, a key without an expiry gets one; an existing expiry is kept,
   * so a fixed-window counter really resets when its window ends.
   */
  incr(key: string, ttlSeconds?: number): Promise<number>;

  /**
   * Runs a Lua script atomically (EVAL) with the keys prefixed by the adapter; resolves to the
   * script's reply. The in-process cache has no scripting: it rejects with ScriptingUnsupported,
   * and callers fall back to PostgreSQL alone.
   */
  eval(script: string, keys: string[], args: (string | number)[]): Promise<unknown>;

  /** True when the backend answers. Rejects (or resolves false) when it does not. */
  ping(): Promise<boolean>;

  /** Releases connections. A later call reconnects lazily. */
  close(): Promise<void>;
}

/** Rejects non-positive, non-finite TTLs early: Redis would answer with an opaque error. */
export function ttlToMs(ttlSeconds: number): number {
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    throw new RangeError(`ttlSeconds must be a positive number, got ${ttlSeconds}`);
  }
  return Math.max(1, Math.round(ttlSeconds * 1000));
}

/** JSON encoding shared by all adapters, so Redis and Upstash read each other's values. */
export function encodeValue(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError("cache values must be JSON-serialisable");
  return json;
}

export function decodeValue<T>(raw: string | null | undefined): T | null {
  if (raw === null || raw === undefined) return null;
  return JSON.parse(raw) as T;
}

/** The in-process cache cannot run Lua scripts. */
export class ScriptingUnsupported extends Error {
  override name = "ScriptingUnsupported";
}
