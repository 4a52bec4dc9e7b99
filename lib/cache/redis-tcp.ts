import { createClient } from "redis";
import { encodeValue, decodeValue, ttlToMs, type Cache, type SetOptions } from "./types";

/**
 * Redis over TCP (node-redis v5) for self-hosted deployments and Chinese clouds.
 *
 * Failure policy: a cache outage must never stall a request. node-redis by default
 * reconnects forever and queues commands meanwhile, and its command timeout stops counting
 * once a command is written, so a call made while Redis is down or hung can wait forever.
 * Here instead:
 * - the client never reconnects by itself (`reconnectStrategy: false`) and never queues
 *   while offline (`disableOfflineQueue`); the next command opens a fresh connection;
 * - connecting, handshake included, is bounded by `connectTimeoutMs`; after a failed
 *   attempt, commands fail at once for `retryAfterMs` instead of each waiting again;
 * - every operation, MULTI included, is bounded by `commandTimeoutMs`; a command left
 *   unanswered drops its connection and counts as a failed connect (a healthy Redis
 *   answers in microseconds).
 */

export interface RedisTcpCacheConfig {
  url: string;
  prefix: string;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  retryAfterMs?: number;
  /** Shown by CLIENT LIST; helps operators tell app connections apart. */
  clientName?: string;
}

type Client = ReturnType<typeof createClient>;

class CacheTimeoutError extends Error {
  override name = "CacheTimeoutError";
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CacheTimeoutError(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

function discard(c: Client | undefined): void {
  if (c?.isOpen) c.destroy();
}

export function createRedisTcpCache(config: RedisTcpCacheConfig): Cache {
  const connectTimeoutMs = config.connectTimeoutMs ?? 1000;
  const commandTimeoutMs = config.commandTimeoutMs ?? 1000;
  const retryAfterMs = config.retryAfterMs ?? 1000;
  const prefix = config.prefix;

  let client: Client | undefined;
  let connecting: { client: Client; ready: Promise<Client> } | undefined;
  let downUntil = 0;
  let lastError: unknown;

  function connect(): Promise<Client> {
    if (client?.isReady) return Promise.resolve(client);
    if (connecting) return connecting.ready;
    if (Date.now() < downUntil) {
      const err = new Error("redis unavailable (failed recently; retrying after a pause)", { cause: lastError });
      return Promise.reject(err);
    }
    discard(client);
    client = undefined;
    const fresh = createClient({
      url: config.url,
      name: config.clientName,
      disableOfflineQueue: true,
      socket: { connectTimeout: connectTimeoutMs, reconnectStrategy: false },
    });
    // Without a listener an 'error' event crashes the process; failures surface as
    // rejected commands instead.
    fresh.on("error", (err: unknown) => {
      lastError = err;
    });
    const ready = withTimeout(fresh.connect(), connectTimeoutMs, "redis connect")
      .then(() => {
        client = fresh;
        return fresh;
      })
      .catch((err: unknown) => {
        lastError = err;
        downUntil = Date.now() + retryAfterMs;
        discard(fresh);
        throw err;
      })
      .finally(() => {
        if (connecting?.client === fresh) connecting = undefined;
      });
    connecting = { client: fresh, ready };
    return ready;
  }

  async function run<T>(op: (c: Client) => Promise<T>): Promise<T> {
    const c = await connect();
    try {
      return await withTimeout(op(c), commandTimeoutMs, "redis command");
    } catch (err) {
      if (err instanceof CacheTimeoutError) {
        lastError = err;
        downUntil = Date.now() + retryAfterMs;
        if (client === c) client = undefined;
        discard(c);
      }
      throw err;
    }
  }

  return {
    kind: "redis",
    prefix,

    async get<T>(key: string): Promise<T | null> {
      return decodeValue<T>(await run((c) => c.get(prefix + key)));
    },

    async mget<T>(keys: readonly string[]): Promise<(T | null)[]> {
      if (keys.length === 0) return [];
      const raw = await run((c) => c.mGet(keys.map((k) => prefix + k)));
      return raw.map((v) => decodeValue<T>(v));
    },

    async set(key: string, value: unknown, options?: SetOptions): Promise<void> {
      const json = encodeValue(value);
      const ttl = options?.ttlSeconds;
      const expiration = ttl === undefined ? undefined : { type: "PX" as const, value: ttlToMs(ttl) };
      await run((c) => c.set(prefix + key, json, { expiration }));
    },

    async del(...keys: string[]): Promise<number> {
      if (keys.length === 0) return 0;
      return run((c) => c.del(keys.map((k) => prefix + k)));
    },

    async eval(script: string, keys: string[], args: (string | number)[]): Promise<unknown> {
      return run((c) => c.eval(script, { keys: keys.map((k) => prefix + k), arguments: args.map(String) }));
    },

    async incr(key: string, ttlSeconds?: number): Promise<number> {
      const k = prefix + key;
      if (ttlSeconds === undefined) return run((c) => c.incr(k));
      const ttlMs = ttlToMs(ttlSeconds);
      // One MULTI so a crash between the two can never leave a counter without expiry.
      const replies = await run((c) => c.multi().incr(k).pExpire(k, ttlMs, "NX").exec());
      const count = replies[0];
      if (typeof count !== "number") throw new Error(`unexpected INCR reply: ${String(count)}`);
      return count;
    },

    async ping(): Promise<boolean> {
      return (await run((c) => c.ping())) === "PONG";
    },

    async close(): Promise<void> {
      discard(connecting?.client);
      const open = client;
      client = undefined;
      if (!open?.isOpen) return;
      // Graceful when Redis answers; a hung server must not hang shutdown.
      await withTimeout(open.close(), commandTimeoutMs, "redis close").catch(() => discard(open));
    },
  };
}
