import "server-only";
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { timeslots } from "@/db/schema";
import { resolveCache, warnCacheError, type Cache } from "@/lib/cache";
import { ScriptingUnsupported } from "@/lib/cache/types";

/**
 * An admission gate in front of the booking transaction for hot slots (放号): a per-slot counter of
 * seats not yet claimed, kept in Redis, seeded from PostgreSQL, taken atomically by a Lua script
 * before the transaction and given back when the transaction fails for another reason than
 * capacity. Once the counter is at zero, attempts are answered SLOT_FULL without touching
 * PostgreSQL. PostgreSQL stays the only authority: the counter may run high (a request then loses
 * at the conditional seat update, as without the gate), and a low counter lives at most
 * GATE_TTL_SECONDS; seat releases forget the counter at once. On the in-process cache (no
 * scripting) and while Redis is down, every attempt goes to PostgreSQL.
 */

export const GATE_TTL_SECONDS = 10;
export const seatGateKey = (slotId: string) => `gate:v1:${slotId}`;

// KEYS[1]: the counter. ARGV[1]: seats wanted; ARGV[2], ARGV[3] (optional): seats to seed and TTL in ms.
// Replies: seats left after taking; -1 no counter (seed it); -2 not enough seats left.
const TAKE = `
if ARGV[2] then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3], 'NX') end
local v = redis.call('GET', KEYS[1])
if not v then return -1 end
local left = tonumber(v) - tonumber(ARGV[1])
if left < 0 then return -2 end
redis.call('DECRBY', KEYS[1], ARGV[1])
return left`;

// Seats go back only into a counter that still exists: a new one is seeded from PostgreSQL.
const GIVE_BACK = `if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCRBY', KEYS[1], ARGV[1]) end return -1`;

/** taken: give back on a non-capacity failure; sold_out: answer SLOT_FULL; bypass: no gate, PostgreSQL decides. */
export type GateResult = "taken" | "sold_out" | "bypass";

async function seatsLeft(db: DbOrTx, slotId: string): Promise<number | null> {
  const [row] = await db
    .select({ capacity: timeslots.capacity, booked: timeslots.bookedCount, status: timeslots.status })
    .from(timeslots)
    .where(eq(timeslots.id, slotId))
    .limit(1);
  // Closed or unknown slots are not gated: the transaction gives the precise answer.
  return row && row.status === "open" ? Math.max(0, row.capacity - row.booked) : null;
}

async function run(cache: Cache, script: string, slotId: string, args: (string | number)[]): Promise<number | null> {
  try {
    return Number(await cache.eval(script, [seatGateKey(slotId)], args));
  } catch (err) {
    if (!(err instanceof ScriptingUnsupported)) warnCacheError("eval", seatGateKey(slotId), err);
    return null;
  }
}

/** Takes `seats` from the slot's counter, seeding it from PostgreSQL when it is missing. */
export async function enterSeatGate(db: DbOrTx, slotId: string, seats: number, cacheOrDefault?: Cache): Promise<GateResult> {
  const cache = resolveCache(cacheOrDefault);
  if (!cache || cache.kind === "memory") return "bypass";
  let reply = await run(cache, TAKE, slotId, [seats]);
  if (reply === -1) {
    const left = await seatsLeft(db, slotId);
    if (left === null) return "bypass";
    reply = await run(cache, TAKE, slotId, [seats, left, GATE_TTL_SECONDS * 1000]);
  }
  if (reply === null || reply === -1) return "bypass";
  return reply === -2 ? "sold_out" : "taken";
}

/** Returns seats a failed attempt took. Never throws. */
export async function leaveSeatGate(slotId: string, seats: number, cacheOrDefault?: Cache): Promise<void> {
  const cache = resolveCache(cacheOrDefault);
  if (!cache || cache.kind === "memory") return;
  await run(cache, GIVE_BACK, slotId, [seats]);
}

/** Forgets the counters of slots whose seats were given back or whose capacity or status changed. */
export async function forgetSeatGates(slotIds: readonly string[], cacheOrDefault?: Cache): Promise<void> {
  const cache = resolveCache(cacheOrDefault);
  if (!cache || cache.kind === "memory" || slotIds.length === 0) return;
  try {
    await cache.del(...slotIds.map(seatGateKey));
  } catch (err) {
    warnCacheError("del", slotIds.map(seatGateKey).join(","), err);
  }
}
