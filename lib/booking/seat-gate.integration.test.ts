import { randomBytes } from "node:crypto";
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

const adapters = [
  { name: "redis", make: () => createCache({ kind: "redis", url: redisUrl, prefix }) },
  { name: "upstash", make: () => createCache({ kind: "upstash", url: shim!.url, token, prefix }) },
];

describe.skipIf(!redisUp || !usingPostgres()).each(adapters)("seat gate on $name", ({ make }) => {
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
