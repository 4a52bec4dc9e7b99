import { RateLimiterRedis, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { Cache } from "./types";

/**
 * rate-limiter-flexible's Redis limiter with its store calls sent through the cache's EVAL, so one
 * limiter runs on Redis over TCP and on Upstash REST alike (the cache adds its key prefix and its
 * timeouts). The scripts are the library's own: INCRBY with an expiry set on a window's first point,
 * SET with an expiry for blocks; the library keeps the counting, blocking and insurance logic.
 */
const upsertScript = `redis.call('set', KEYS[1], 0, 'PX', ARGV[2], 'NX')
local consumed = redis.call('incrby', KEYS[1], ARGV[1])
local ttl = redis.call('pttl', KEYS[1])
if ttl == -1 then
  redis.call('pexpire', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {consumed, ttl}`;

const setScript = `redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
return {tonumber(ARGV[1]), redis.call('pttl', KEYS[1])}`;

const getScript = `local v = redis.call('get', KEYS[1])
if not v then return nil end
return {tonumber(v), redis.call('pttl', KEYS[1])}`;

type StoreReply = [number | string, number | string];

export class RateLimiterCacheStore extends RateLimiterRedis {
  private readonly cache: Cache;

  constructor(cache: Cache, opts: { keyPrefix: string; points: number; duration: number; insuranceLimiter?: RateLimiterAbstract }) {
    super({ ...opts, storeClient: cache, useRedisPackage: true });
    this.cache = cache;
  }

  // The store methods RateLimiterRedis calls (untyped in the library's .d.ts).
  async _upsert(rlKey: string, points: number, msDuration: number, forceExpire = false): Promise<StoreReply> {
    const ms = Math.max(1, Math.round(msDuration));
    return (await this.cache.eval(forceExpire ? setScript : upsertScript, [rlKey], [points, ms])) as StoreReply;
  }

  async _get(rlKey: string): Promise<StoreReply | null> {
    const reply = await this.cache.eval(getScript, [rlKey], []);
    return Array.isArray(reply) ? (reply as StoreReply) : null;
  }

  async _delete(rlKey: string): Promise<boolean> {
    return Number(await this.cache.eval("return redis.call('del', KEYS[1])", [rlKey], [])) > 0;
  }
}
