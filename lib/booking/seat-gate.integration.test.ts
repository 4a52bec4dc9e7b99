import { randomBytes } from "node:crypto";
import net from "node:net";
import { eq } from "drizzle-orm";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, type Db } from "@/db/client";
import { bookings, timeslots } from "@/db/schema";
import { createCache, type Cache } from "@/lib/cache";
import { setupTestDb, usingPostgres } from "@/tests/db";
import { codeOf, makeCustomer, makeService, makeSlot } from "@/tests/fixtures";
import { startUpstashShim, type UpstashShim } from "@/tests/upstash-shim";
import { cancelBooking } from "./cancel-booking";
import { createBooking } from "./create-booking";
import { seatGateKey } from "./seat-gate";

/**
 * The Redis admission gate in front of the booking transaction, on Redis over TCP and on the
 * Upstash REST adapter (EVAL through the local shim into the same redis-server). PostgreSQL stays
 * the authority: these tests count seats there. PostgreSQL phase only: the gate is for Redis
 * deployments, and PGlite's in-process engine starves the event loop past Redis's 1 s timeout.
 */

setupTestDb();

const redisUrl = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const admin = createClient({ url: redisUrl, socket: { reconnectStrategy: false, connectTimeout: 1000 } });
admin.on("error", () => {});
const redisUp = await admin.connect().then(
  () => true,
  () => false,
);
if (!redisUp && process.env.REDIS_URL) throw new Error(`REDIS_URL is set but Redis at ${redisUrl} is unreachable`);
const prefix = `yuyue-test-gate-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}:`;
const token = randomBytes(16).toString("hex");
let shim: UpstashShim | undefined;

beforeAll(async () => {
  if (redisUp) shim = await startUpstashShim({ redisUrl, token });
});
afterAll(async () => {
  await shim?.close();
  if (!redisUp) return;
  const keys: string[] = [];
  for await (const batch of admin.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) keys.push(...batch);
  if (keys.length > 0) await admin.del(keys);
  await admin.close();
});

const holder = globalThis as { __yuyueCache?: Cache };

/** Runs `fn` with the app's shared cache swapped for `cache`. */
async function withCache<T>(cache: Cache, fn: () => Promise<T>): Promise<T> {
  const original = holder.__yuyueCache;
  holder.__yuyueCache = cache;
  try {
    return await fn();
  } finally {
    holder.__yuyueCache = original;
    await cache.close();
  }
}

/** A database handle that fails the test if anything touches it. */
const untouchable = new Proxy({} as Db, {
  get: (_, prop) => {
    throw new Error(`PostgreSQL touched (${String(prop)}) for a sold-out slot`);
  },
});

const slotRow = async (id: string) => (await getDb().select().from(timeslots).where(eq(timeslots.id, id)))[0]!;

/** A TCP proxy in front of Redis whose `kill()` drops every connection and refuses new ones (Redis dies). */
async function redisProxy(): Promise<{ url: string; kill: () => void }> {
  const target = new URL(redisUrl);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 6379), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => {});
      s.on("close", () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    kill: () => {
      server.close();
      for (const s of sockets) s.destroy();
    },
  };
}

const adapters = [
  { name: "redis", make: (url = redisUrl) => createCache({ kind: "redis", url, prefix, commandTimeoutMs: 300 }), shimmed: false },
  { name: "upstash", make: () => createCache({ kind: "upstash", url: shim!.url, token, prefix }), shimmed: true },
];

describe.skipIf(!redisUp || !usingPostgres()).each(adapters)("seat gate on $name", ({ make, shimmed }) => {
  it("never oversells when Redis dies during a burst, and the attempts in flight and after still book on PostgreSQL", async () => {
    const proxy = await redisProxy();
    // Upstash: a shim of its own speaking to Redis through the proxy, so killing the proxy kills its Redis.
    const ownShim = shimmed ? await startUpstashShim({ redisUrl: proxy.url, token }) : undefined;
    const cache = ownShim ? createCache({ kind: "upstash", url: ownShim.url, token, prefix, timeoutMs: 300, retries: 0 }) : make(proxy.url);
    try {
      await withCache(cache, async () => {
        const db = getDb();
        const service = await makeService(db, { capacity: 12, kind: "class" });
        const slot = await makeSlot(db, service);
        const customers = await Promise.all(Array.from({ length: 40 }, () => makeCustomer(db)));
        const burst = customers.slice(0, 30).map((c) => codeOf(createBooking({ customerId: c.id, timeslotId: slot.id })));
        // Redis goes away while the burst is in flight: some attempts passed the gate, some are at it.
        await new Promise((r) => setTimeout(r, 30));
        proxy.kill();
        const results = await Promise.all(burst);
        expect(results.filter((r) => r === "OK")).toHaveLength(12);
        expect(results.filter((r) => r !== "OK" && r !== "SLOT_FULL")).toEqual([]);
        expect((await slotRow(slot.id)).bookedCount).toBe(12);
        expect(await db.$count(bookings, eq(bookings.timeslotId, slot.id))).toBe(12);
        // Redis still down: bookings go on, on PostgreSQL alone, and it still refuses the 13th seat.
        const other = await makeSlot(db, service);
        expect(await codeOf(createBooking({ customerId: customers[30]!.id, timeslotId: other.id }))).toBe("OK");
        expect(await codeOf(createBooking({ customerId: customers[31]!.id, timeslotId: slot.id }))).toBe("SLOT_FULL");
      });
    } finally {
      proxy.kill();
      // Its own Redis connection died with the proxy: closing it may report that.
      await ownShim?.close().catch(() => {});
    }
  });

  it("sells exactly the seats of a hot slot and answers the rest without PostgreSQL", async () => {
    await withCache(make(), async () => {
      const db = getDb();
      const service = await makeService(db, { capacity: 10, kind: "class" });
      const slot = await makeSlot(db, service);
      const customers = await Promise.all(Array.from({ length: 40 }, () => makeCustomer(db)));
      const results = await Promise.all(customers.map((c) => codeOf(createBooking({ customerId: c.id, timeslotId: slot.id }))));
      expect(results.filter((r) => r === "OK")).toHaveLength(10);
      expect(results.filter((r) => r === "SLOT_FULL")).toHaveLength(30);
      expect((await slotRow(slot.id)).bookedCount).toBe(10);
      // On a loaded machine the burst may outlast the counter's TTL: one more attempt re-seeds it from PostgreSQL.
      expect(await codeOf(createBooking({ customerId: customers[1]!.id, timeslotId: slot.id }))).toBe("SLOT_FULL");
      // Sold out: the gate answers, the database is never asked.
      expect(await codeOf(createBooking({ customerId: customers[0]!.id, timeslotId: slot.id }, untouchable))).toBe("SLOT_FULL");
    });
  });

  it("gives the seat back when the attempt fails for another reason, and forgets the counter on a cancellation", async () => {
    await withCache(make(), async () => {
      const db = getDb();
      const service = await makeService(db, {
        capacity: 2,
        kind: "class",
        fields: [{ key: "note", type: "text", label: { "zh-CN": "备注", en: "Note" }, required: true }],
      });
      const slot = await makeSlot(db, service);
      // Invalid answers: the attempt passed the gate, failed validation, and gave its seat back.
      for (let i = 0; i < 3; i++) {
        expect(await codeOf(createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: slot.id, fields: {} }))).toBe(
          "VALIDATION_FAILED",
        );
      }
      const a = await createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: slot.id, fields: { note: "a" } });
      await createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: slot.id, fields: { note: "b" } });
      expect(
        await codeOf(createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: slot.id, fields: { note: "c" } }, untouchable)),
      ).toBe("SLOT_FULL");
      const customer = (await db.select().from(bookings).where(eq(bookings.id, a.id)))[0]!.customerId;
      await cancelBooking({ bookingId: a.id, actor: { id: customer, role: "customer" } });
      // The freed seat is bookable at once, not after the counter's TTL.
      expect(await codeOf(createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: slot.id, fields: { note: "d" } }))).toBe(
        "OK",
      );
      expect((await slotRow(slot.id)).bookedCount).toBe(2);
    });
  });

  it("lets a stale low counter block a free seat only until it expires", async () => {
    await withCache(make(), async () => {
      const db = getDb();
      const service = await makeService(db, { capacity: 3, kind: "class" });
      const slot = await makeSlot(db, service);
      // A counter that says 0 while the database has 3 free seats (say, a give-back that was lost).
      await admin.set(prefix + seatGateKey(slot.id), "0", { expiration: { type: "PX", value: 1500 } });
      expect(await codeOf(createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: slot.id }))).toBe("SLOT_FULL");
      await new Promise((r) => setTimeout(r, 1600));
      expect(await codeOf(createBooking({ customerId: (await makeCustomer(db)).id, timeslotId: slot.id }))).toBe("OK");
      expect(Number(await admin.get(prefix + seatGateKey(slot.id)))).toBe(2);
    });
  });

  it("never oversells when Redis goes away mid-burst, and keeps booking on PostgreSQL", async () => {
    const db = getDb();
    const service = await makeService(db, { capacity: 15, kind: "class" });
    const slot = await makeSlot(db, service);
    const customers = await Promise.all(Array.from({ length: 30 }, () => makeCustomer(db)));
    const first = await withCache(make(), () =>
      Promise.all(customers.slice(0, 10).map((c) => codeOf(createBooking({ customerId: c.id, timeslotId: slot.id })))),
    );
    const dead = createCache({ kind: "redis", url: "redis://127.0.0.1:6390", prefix, connectTimeoutMs: 200 });
    const second = await withCache(dead, () =>
      Promise.all(customers.slice(10).map((c) => codeOf(createBooking({ customerId: c.id, timeslotId: slot.id })))),
    );
    expect(first.filter((r) => r === "OK")).toHaveLength(10);
    expect(second.filter((r) => r === "OK")).toHaveLength(5);
    expect((await slotRow(slot.id)).bookedCount).toBe(15);
  });
});
