import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canCreatePgCluster, createPgCluster, type PgCluster } from "./pg-cluster";

/**
 * Fault test: the booking API served in-process (the real route handler, pool and driver) by a
 * private PostgreSQL cluster that is restarted (`pg_ctl restart -m fast`) in the middle of a booking
 * burst. Expected: nothing oversold, every answer 201/409/422 or a fast 503 UNAVAILABLE with
 * Retry-After, no uncaught exception, and bookings succeed again within seconds of the server being
 * back, without restarting anything. Runs in the PostgreSQL phase (DATABASE_URL set); the embedded
 * default has no server to restart.
 */

const PORT = Number(process.env.OUTAGE_TEST_PG_PORT || 5444);
const HOT_SLOTS = 4;
const HOT_CAPACITY = 8;
const CUSTOMERS = 80;
const CLIENTS = 16;
const MAX_REQUESTS = 600;
/** An answer later than this counts as hung (the client would have given up). */
const HUNG_MS = 10_000;

type Answer = { status: number; ms: number; at: number; code?: string; retryAfter: string | null };

const enabled = Boolean(process.env.DATABASE_URL) && canCreatePgCluster();

describe.skipIf(!enabled)("database restart during a booking burst", () => {
  let cluster: PgCluster;
  const saved = { DATABASE_URL: process.env.DATABASE_URL, DATABASE_REPLICA_URLS: process.env.DATABASE_REPLICA_URLS };
  const uncaught: unknown[] = [];
  const onUncaught = (e: unknown) => uncaught.push(e);
  let closeApp: () => Promise<void> = async () => {};

  beforeAll(async () => {
    cluster = createPgCluster({ port: PORT, name: "outage" });
    await cluster.start();
    // Before the app's modules load: lib/env.ts reads the environment once.
    process.env.DATABASE_URL = cluster.url("postgres");
    process.env.DATABASE_REPLICA_URLS = "";
    process.on("uncaughtException", onUncaught);
    process.on("unhandledRejection", onUncaught);
  }, 90_000);

  afterAll(async () => {
    process.off("uncaughtException", onUncaught);
    process.off("unhandledRejection", onUncaught);
    await closeApp().catch(() => {});
    cluster?.destroy();
    process.env.DATABASE_URL = saved.DATABASE_URL;
    process.env.DATABASE_REPLICA_URLS = saved.DATABASE_REPLICA_URLS;
  });

  it("answers 201/409/422 or a fast 503 with Retry-After, oversells nothing and recovers by itself", async () => {
    uncaught.length = 0;
    const { connection, closeDb, getDb } = await import("@/db/client");
    const { runMigrations } = await import("@/db/migrate");
    await runMigrations(connection());
    await import("@/lib/composition/jobs");
    const { getBoss, stopBoss } = await import("@/lib/jobs/boss");
    await getBoss();
    closeApp = async () => {
      await stopBoss(2_000);
      await closeDb();
    };
    const { makeCustomer, makeService, makeSlot } = await import("./fixtures");
    const { issueApiToken } = await import("@/lib/auth/api-tokens");
    const { POST } = await import("@/app/api/v1/bookings/route");
    const { sql } = await import("drizzle-orm");

    const db = getDb();
    const service = await makeService(db, { capacity: HOT_CAPACITY });
    const hot = await Promise.all(Array.from({ length: HOT_SLOTS }, () => makeSlot(db, service)));
    const spare = await makeSlot(db, service, { capacity: HOT_CAPACITY });
    const tokens: string[] = [];
    for (let i = 0; i < CUSTOMERS; i++) tokens.push((await issueApiToken((await makeCustomer(db)).id)).token);

    let seq = 0;
    async function book(timeslotId: string, token: string): Promise<Answer> {
      const started = performance.now();
      const req = new NextRequest("http://127.0.0.1/api/v1/bookings", {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "idempotency-key": `outage-${seq++}-${Math.random()}`,
        },
        body: JSON.stringify({ timeslotId }),
      });
      let timer: NodeJS.Timeout | undefined;
      const hung = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), HUNG_MS)));
      const res = await Promise.race([POST(req, { params: Promise.resolve({}) }), hung]).finally(() => clearTimeout(timer));
      const ms = performance.now() - started;
      if (!res) return { status: 0, ms, at: started, retryAfter: null };
      const body = (await res.json()) as { error?: { code?: string } };
      return { status: res.status, ms, at: started, code: body.error?.code, retryAfter: res.headers.get("retry-after") };
    }

    // The burst: CLIENTS loops booking random hot slots for random customers until told to stop.
    const answers: Answer[] = [];
    let stop = false;
    const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
    const clients = Array.from({ length: CLIENTS }, async () => {
      while (!stop && answers.length < MAX_REQUESTS) {
        answers.push(await book(pick(hot).id, pick(tokens)));
        await new Promise((r) => setTimeout(r, 10));
      }
    });

    await new Promise((r) => setTimeout(r, 500));
    const restartAt = performance.now();
    await cluster.restart("fast");
    const backAt = performance.now();

    // Recovery: one customer books the spare slot until it works; no app restart in between.
    let recoveredAt: number | undefined;
    while (recoveredAt === undefined && performance.now() - backAt < 10_000) {
      const a = await book(spare.id, tokens[0]!);
      if (a.status === 201) recoveredAt = performance.now();
      else await new Promise((r) => setTimeout(r, 100));
    }
    // Keep the burst going a little after recovery, then let it drain.
    await new Promise((r) => setTimeout(r, 1_000));
    stop = true;
    await Promise.all(clients);

    const count = (s: number) => answers.filter((a) => a.status === s).length;
    const summary = {
      requests: answers.length,
      restartMs: Math.round(backAt - restartAt),
      recoveryMs: recoveredAt === undefined ? null : Math.round(recoveredAt - backAt),
      byStatus: Object.fromEntries([0, 201, 409, 422, 500, 503].map((s) => [s, count(s)]).filter(([, n]) => n)),
      slowest503Ms: Math.round(Math.max(0, ...answers.filter((a) => a.status === 503).map((a) => a.ms))),
      slowestMs: Math.round(Math.max(...answers.map((a) => a.ms))),
      // [status, ms taken, ms after the restart began] of the slow ones
      slow: answers.filter((a) => a.ms > 2_000).map((a) => [a.status, Math.round(a.ms), Math.round(a.at - restartAt)]),
      uncaught: uncaught.map(String),
    };
    console.log("[outage test]", JSON.stringify(summary));

    expect(uncaught, "uncaught exceptions / unhandled rejections").toEqual([]);
    expect(
      answers.filter((a) => ![201, 409, 422, 503].includes(a.status)),
      "answers other than 201/409/422/503 (0 = hung)",
    ).toEqual([]);
    const unavailable = answers.filter((a) => a.status === 503);
    expect(unavailable.length, "the restart was noticed by some requests").toBeGreaterThan(0);
    for (const a of unavailable) {
      expect(a.code).toBe("UNAVAILABLE");
      expect(Number(a.retryAfter)).toBeGreaterThan(0);
    }
    expect(summary.slowest503Ms, "503s come fast").toBeLessThan(3_000);
    expect(summary.restartMs, "the app does not hold up the server's restart").toBeLessThan(10_000);
    expect(summary.recoveryMs, "a booking succeeds again soon after the server is back").not.toBeNull();
    expect(summary.recoveryMs!).toBeLessThan(5_000);

    // Nothing oversold: each slot's counter within capacity and equal to its active bookings' seats;
    // every 201 is a stored booking (a 503 may still have committed: the answer was lost, not the row).
    const ids = hot.map((s) => s.id);
    type Row = { id: string; capacity: number; booked_count: number; seats: number; bookings: number };
    const rows = (await db.execute(sql`
      select t.id, t.capacity, t.booked_count,
             coalesce(sum(b.seats) filter (where b.status in ('pending_payment', 'confirmed')), 0)::int as seats,
             count(b.id)::int as bookings
      from timeslots t left join bookings b on b.timeslot_id = t.id
      where t.id in (${sql.join(
        ids.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})
      group by t.id`)) as unknown as Row[];
    expect(rows).toHaveLength(HOT_SLOTS);
    let stored = 0;
    for (const r of rows) {
      expect(r.booked_count).toBeLessThanOrEqual(r.capacity);
      expect(r.seats).toBe(r.booked_count);
      stored += r.bookings;
    }
    expect(count(201)).toBeLessThanOrEqual(stored);
  }, 60_000);

  // The driver under the app: short transactions back to back on the app's own pool (its options,
  // its postgres.js), the server restarted under them. postgres.js 3.4.9 unpatched throws TypeErrors
  // out of a timer here and leaves connections that never send their startup message.
  it("the pool survives a restart under a transaction burst: no uncaught error, no stuck connection", async () => {
    uncaught.length = 0;
    const { connection } = await import("@/db/client");
    const { isDbUnavailable } = await import("@/lib/errors");
    const pool = connection();
    if (pool.kind !== "postgres") throw new Error("expected the postgres pool");
    const sql = pool.sql;
    await sql`create table if not exists outage_probe (id bigserial primary key, n int not null)`;

    let stop = false;
    let lastOkAt = 0;
    const failures: { ms: number; unavailable: boolean; what: string }[] = [];
    let ok = 0;
    const HUNG = new Error("hung");
    const loops = Array.from({ length: 40 }, async () => {
      while (!stop) {
        const started = performance.now();
        let timer: NodeJS.Timeout | undefined;
        try {
          const tx = sql.begin(async (tx) => {
            await tx`insert into outage_probe (n) values (1)`;
            await tx`select count(*) from outage_probe where id > 0`;
          });
          const hung = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(HUNG), HUNG_MS)));
          tx.catch(() => {});
          await Promise.race([tx, hung]);
          ok++;
          lastOkAt = performance.now();
        } catch (e) {
          failures.push({
            ms: performance.now() - started,
            unavailable: isDbUnavailable(e),
            what: e === HUNG ? "hung" : String((e as { code?: string }).code ?? e),
          });
          await new Promise((r) => setTimeout(r, 20));
        } finally {
          clearTimeout(timer);
        }
      }
    });
    // Two restarts: a connection that came back from the first goes through the second.
    const restartMs: number[] = [];
    let backAt = 0;
    for (let i = 0; i < 2; i++) {
      await new Promise((r) => setTimeout(r, 1_500));
      const restartAt = performance.now();
      await cluster.restart("fast");
      backAt = performance.now();
      restartMs.push(Math.round(backAt - restartAt));
    }
    await new Promise((r) => setTimeout(r, 3_000));
    stop = true;
    await Promise.all(loops);

    const summary = {
      ok,
      restartMs,
      failures: failures.length,
      slowestFailureMs: Math.round(Math.max(0, ...failures.map((f) => f.ms))),
      kinds: [...new Set(failures.map((f) => f.what))],
      uncaught: uncaught.map(String),
    };
    console.log("[outage test: pool]", JSON.stringify(summary));
    expect(uncaught, "uncaught exceptions / unhandled rejections").toEqual([]);
    expect(
      failures.filter((f) => !f.unavailable),
      "failures other than an unavailable database (or hung)",
    ).toEqual([]);
    expect(summary.slowestFailureMs, "a failure comes fast").toBeLessThan(3_000);
    expect(lastOkAt, "transactions succeed again after the restart").toBeGreaterThan(backAt);
    expect(Math.max(...restartMs)).toBeLessThan(10_000);
  }, 45_000);
});
