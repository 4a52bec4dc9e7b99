import { and, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import { NextRequest } from "next/server";
import postgres from "postgres";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as postBooking } from "@/app/api/v1/bookings/route";
import { connection, getCaughtUpReadDb, getDb, getReadReplicaDb, type Db } from "@/db/client";
import * as schema from "@/db/schema";
import { bookings, notificationDeliveries, notifications, payments } from "@/db/schema";
import { issueApiToken } from "@/lib/auth/api-tokens";
import { getAvailability } from "@/lib/booking/availability";
import { createBooking } from "@/lib/booking/create-booking";
import { startPayment } from "@/lib/booking/pay-booking";
import { handlePaymentNotify } from "@/lib/booking/payments";
import { env } from "@/lib/env";
import { getBoss } from "@/lib/jobs/boss";
import { deliverJob } from "@/lib/notifications/deliver-job";
import { handleSandboxRequest, sandboxGatewayFromEnv } from "@/lib/payments/providers";
import { serveFetch, type RunningServer } from "@/tests/serve-fetch";
import { listActiveServices } from "@/lib/services/queries";
import { setupTestDb, uniq } from "@/tests/db";
import { codeOf, makeCustomer, makeService, makeSlot } from "@/tests/fixtures";

/*
 * A lagging replica must cost nothing but freshness on the reads that tolerate it. Runs on real
 * PostgreSQL with a streaming replica in DATABASE_REPLICA_URLS (CI starts one with
 * scripts/pg-replica.sh): replay is paused on the replica, then read-after-write paths run.
 */

// The gateway's notices go to the app's public URL: a local server standing in for it.
const port = vi.hoisted(() => {
  const p = 41000 + Math.floor(Math.random() * 8000);
  process.env.APP_URL = `http://127.0.0.1:${p}`;
  return p;
});

setupTestDb();

const replicaUrl = env.DATABASE_REPLICA_URLS?.split(",")[0]?.trim();
const withReplica = Boolean(env.DATABASE_URL && replicaUrl);

let replica: postgres.Sql;
let server: RunningServer | undefined;

beforeAll(async () => {
  if (!withReplica) return;
  const admin = new URL(replicaUrl!);
  admin.pathname = "/postgres";
  replica = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  await replica`select pg_wal_replay_resume()`;
  server = await serveFetch(async (req) => {
    const path = new URL(req.url).pathname;
    if (path.startsWith("/sandbox-gateway")) return handleSandboxRequest(req);
    return handlePaymentNotify(path.includes("/wechat/") ? "wechat" : "alipay", req.headers, await req.text());
  }, port);
});
afterEach(async () => {
  if (withReplica) await replica`select pg_wal_replay_resume()`;
});
afterAll(async () => {
  await server?.close();
  await replica?.end();
});

function primarySql(): postgres.Sql {
  const c = connection();
  if (c.kind !== "postgres") throw new Error("PostgreSQL only");
  return c.sql;
}
/** The primary for the test's own fixtures and checks, whatever the app routes where. */
const primary = (): Db => drizzle(primarySql(), { schema, casing: "snake_case" }) as unknown as Db;

async function primaryLsn(): Promise<string> {
  const [row] = await primarySql()<{ lsn: string }[]>`select pg_current_wal_lsn()::text as lsn`;
  return row!.lsn;
}

/** Waits until the replica has replayed everything committed so far (fixtures included). */
async function caughtUp(): Promise<void> {
  const lsn = await primaryLsn();
  for (let i = 0; i < 200; i++) {
    const [row] = await replica<{ ok: boolean }[]>`select pg_last_wal_replay_lsn() >= ${lsn}::pg_lsn as ok`;
    if (row?.ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the replica did not catch up within 10 s");
}

/** Stops replay on the replica: from here on it lags the primary by every write that follows. */
async function pauseReplay(): Promise<void> {
  await caughtUp();
  await replica`select pg_wal_replay_pause()`;
  for (let i = 0; i < 100; i++) {
    const [row] = await replica<{ state: string }[]>`select pg_get_wal_replay_pause_state() as state`;
    if (row?.state === "paused") return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("replay did not pause");
}

const bookingRequest = (token: string, key: string, timeslotId: string) =>
  new NextRequest("http://127.0.0.1/api/v1/bookings", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "idempotency-key": key, "content-type": "application/json" },
    body: JSON.stringify({ timeslotId }),
  });
const noParams = { params: Promise.resolve({}) };

describe.runIf(withReplica)("with replay paused on the read replica", () => {
  it("a booking's messages are all delivered, and availability shows its seat taken", async () => {
    const db = primary();
    const phone = `139${Math.floor(Math.random() * 1e8)
      .toString()
      .padStart(8, "0")}`;
    const customer = await makeCustomer(db, { phone });
    const service = await makeService(db, { capacity: 3, kind: "class" });
    const slot = await makeSlot(db, service);
    const day = slot.startsAt.toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });
    const q = { serviceId: service.id, from: day, to: day };
    expect((await getAvailability(q)).slots.find((s) => s.id === slot.id)?.remaining).toBe(3);
    await pauseReplay();

    const booking = await createBooking({ customerId: customer.id, timeslotId: slot.id });
    const rows = await db.select().from(notifications).where(eq(notifications.bookingId, booking.id));
    // Each message due now (reminders wait for their time), delivered by its job as the worker runs
    // it: ctx.db is the worker's getDb().
    // By data: findJobs lists the oldest 1,000 jobs by default, and every test file shares the queue.
    const boss = await getBoss();
    const byNotification = (notificationId: string) =>
      boss.findJobs<{ notificationId: string }>(deliverJob.name, { data: { notificationId } });
    const jobs = (await Promise.all(rows.map((r) => byNotification(r.id)))).flat();
    expect(jobs).toHaveLength(rows.length);
    const due = jobs.filter((j) => j.startAfter.getTime() <= Date.now());
    expect(due.length).toBeGreaterThan(0);
    for (const job of due) {
      const signal = new AbortController().signal;
      await deliverJob.handler(job.data, { id: job.id, name: job.name, retryCount: 0, signal, db: getDb() });
    }
    const dueIds = due.map((j) => j.data.notificationId).sort();
    const after = await db.select().from(notifications).where(inArray(notifications.id, dueIds));
    expect(after.map((r) => r.status)).toEqual(after.map(() => "sent"));
    // Another test file's worker may deliver some of them first: each was sent, by someone.
    const attempts = await db
      .select()
      .from(notificationDeliveries)
      .where(and(inArray(notificationDeliveries.notificationId, dueIds), eq(notificationDeliveries.outcome, "sent")));
    expect([...new Set(attempts.map((a) => a.notificationId))].sort()).toEqual(dueIds);

    // The day list is invalidated by the booking and reloaded: never from a replica that lacks it.
    const seen = (await getAvailability(q)).slots.find((s) => s.id === slot.id);
    expect(seen).toMatchObject({ remaining: 2, state: "open" });
  });

  it("re-POSTing a booking with the same Idempotency-Key answers the same booking", async () => {
    const db = primary();
    const customer = await makeCustomer(db);
    const { token } = await issueApiToken(customer.id);
    const slot = await makeSlot(db, await makeService(db, { capacity: 5, kind: "class" }));
    await pauseReplay();

    const key = uniq("idem");
    const first = await postBooking(bookingRequest(token, key, slot.id), noParams);
    expect(first.status).toBe(201);
    const again = await postBooking(bookingRequest(token, key, slot.id), noParams);
    expect(again.status).toBe(201);
    const [a, b] = [(await first.json()).booking, (await again.json()).booking];
    expect(b.id).toBe(a.id);
    const stored = await db
      .select()
      .from(bookings)
      .where(and(eq(bookings.customerId, customer.id), eq(bookings.idempotencyKey, key)));
    expect(stored).toHaveLength(1);
  });

  it("a per-customer limit counts the booking just made, on the calendar and when booking", async () => {
    const db = primary();
    const customer = await makeCustomer(db);
    const rules = { minNoticeMin: 0, maxAdvanceDays: 3650, maxActiveBookingsPerCustomer: 1 };
    const service = await makeService(db, { rules });
    const [one, two] = [await makeSlot(db, service), await makeSlot(db, service)];
    await pauseReplay();

    await createBooking({ customerId: customer.id, timeslotId: one.id });
    // The calendar tells them before they try, and the booking refuses.
    const day = two.startsAt.toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });
    const view = await getAvailability({ serviceId: service.id, from: day, to: day, customer });
    expect(view.slots.find((s) => s.id === two.id)?.state).toBe("unavailable");
    expect(await codeOf(createBooking({ customerId: customer.id, timeslotId: two.id }))).toBe("RULE_VIOLATION");
    expect(await db.select().from(bookings).where(eq(bookings.customerId, customer.id))).toHaveLength(1);
  });

  it.each(["alipay", "wechat"] as const)("a %s paid notice finds the payment just made", async (provider) => {
    const db = primary();
    const customer = await makeCustomer(db);
    const rules = { minNoticeMin: 0, maxAdvanceDays: 3650, payment: { mode: "full" as const } };
    const service = await makeService(db, { priceFen: 6600, rules });
    const booking = await createBooking({ customerId: customer.id, timeslotId: (await makeSlot(db, service)).id });
    expect(booking.status).toBe("pending_payment");
    await pauseReplay();

    const actor = { id: customer.id, role: "customer" as const };
    const { payment } = await startPayment({ bookingId: booking.id, actor, provider, channel: "qr" });
    await sandboxGatewayFromEnv().approve(payment.outTradeNo);
    expect((await db.select().from(payments).where(eq(payments.id, payment.id)))[0]?.status).toBe("paid");
    expect((await db.select().from(bookings).where(eq(bookings.id, booking.id)))[0]?.status).toBe("confirmed");
  });

  it("only a lag-tolerant read is stale: the public service list, until replay resumes", async () => {
    const db = primary();
    await pauseReplay();
    const service = await makeService(db, { name: uniq("新服务") });
    expect((await listActiveServices(db)).map((s) => s.id)).toContain(service.id);
    expect((await listActiveServices(getReadReplicaDb())).map((s) => s.id)).not.toContain(service.id);
    expect(await getCaughtUpReadDb()).toBe(getDb());

    await replica`select pg_wal_replay_resume()`;
    await caughtUp();
    expect((await listActiveServices(getReadReplicaDb())).map((s) => s.id)).toContain(service.id);
    // Caught up, the replica takes the availability loads again (other writes may briefly run ahead of it).
    await expect.poll(async () => (await getCaughtUpReadDb()) !== getDb(), { timeout: 10_000 }).toBe(true);
  });
});
