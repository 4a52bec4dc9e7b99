import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { and, eq, inArray } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * Fault test (issue 9 item 9): a worker process SIGKILLed while it holds a batch of delivery jobs.
 * A new worker started at once must get every message to the provider within a minute; an email
 * may reach the provider twice only under its own idempotency key (which Resend deduplicates), an
 * SMS (Aliyun has no such key) never twice. Real processes (`scripts/worker.ts`), real PostgreSQL,
 * and one local HTTP server speaking Resend's `POST /emails` and Aliyun's SendSms and
 * QuerySendDetails, answering slowly so jobs are in flight when the kill lands.
 * PostgreSQL only: the embedded database cannot be shared with a worker process.
 *
 * On a database of its own: the worker processes work every queued delivery, and on the suite's
 * shared test database they would take other test files' messages from under them. So app modules
 * are imported only once DATABASE_URL points at it (lib/env reads the environment on import).
 */

const BOOKINGS = 60;
/** Provider latency: slow enough that the killed worker holds jobs mid-call, fast enough to drain. */
const PROVIDER_DELAY_MS = 300;
const DEADLINE_MS = 60_000;

type Received = { channel: "email" | "sms"; key: string | undefined; to: string; at: number };

const ROOT = path.resolve(import.meta.dirname, "../..");
const TSX_LOADER = path.join(ROOT, "node_modules/tsx/dist/loader.mjs");

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(probe: () => Promise<boolean> | boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await sleep(200);
  }
  return probe();
}

/**
 * The providers: Resend's `POST /emails` (records the Idempotency-Key, answers a repeated key with
 * the first id) and Aliyun's SendSms / QuerySendDetails (`x-acs-action`; a send is on record the
 * moment it arrives, answered or not). Signatures are not checked here (sms-aliyun.test.ts does).
 */
function fakeProviders() {
  const received: Received[] = [];
  const lookups: string[] = [];
  const emailIds = new Map<string, string>();
  let next = 0;
  const answer = (res: ServerResponse, body: unknown, delay: number) =>
    setTimeout(() => {
      if (res.destroyed) return;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    }, delay);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://local");
      const action = req.headers["x-acs-action"];
      if (action === "SendSms") {
        const key = url.searchParams.get("OutId") ?? undefined;
        received.push({ channel: "sms", key, to: url.searchParams.get("PhoneNumbers") ?? "", at: Date.now() });
        answer(res, { Code: "OK", Message: "OK", BizId: `biz-${++next}^0`, RequestId: `R${next}` }, PROVIDER_DELAY_MS);
        return;
      }
      if (action === "QuerySendDetails") {
        const phone = url.searchParams.get("PhoneNumber");
        lookups.push(phone ?? "");
        const records = received
          .filter((r) => r.channel === "sms" && r.to === phone)
          .map((r) => ({ OutId: r.key, PhoneNum: r.to, SendStatus: 3, TemplateCode: "SMS_YUYUE_CONFIRMED" }));
        const body = {
          Code: "OK",
          Message: "OK",
          RequestId: "Q",
          TotalCount: records.length,
          SmsSendDetailDTOs: { SmsSendDetailDTO: records },
        };
        answer(res, body, 20);
        return;
      }
      const header = req.headers["idempotency-key"];
      const key = Array.isArray(header) ? header[0] : header;
      let to = "";
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { to?: string | string[] };
        to = Array.isArray(body.to) ? (body.to[0] ?? "") : (body.to ?? "");
      } catch {
        // recorded with no recipient: the assertions below then fail on it
      }
      received.push({ channel: "email", key, to, at: Date.now() });
      let id = key ? emailIds.get(key) : undefined;
      if (!id) {
        id = `email-${++next}`;
        if (key) emailIds.set(key, id);
      }
      answer(res, { id }, PROVIDER_DELAY_MS);
    });
  });
  return { server, received, lookups };
}

type Worker = { child: ChildProcess; ready: Promise<void>; log: string[] };

/** `scripts/worker.ts` in a process of its own (no tsx CLI wrapper, so SIGKILL hits the worker itself). */
function startWorker(env: NodeJS.ProcessEnv): Worker {
  const log: string[] = [];
  const child = spawn(process.execPath, ["--import", TSX_LOADER, "--conditions=react-server", "scripts/worker.ts"], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => {
      log.push(d.toString());
      if (/\[worker\] pid \d+ working/.test(d.toString())) resolve();
    });
    child.stderr?.on("data", (d: Buffer) => log.push(d.toString()));
    child.on("exit", (code, signal) => reject(new Error(`worker exited (${code ?? signal}) before it was ready:\n${log.join("")}`)));
  });
  ready.catch(() => {});
  return { child, ready, log };
}

async function stop(worker: Worker | undefined, signal: NodeJS.Signals): Promise<void> {
  const child = worker?.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

const SUITE_DATABASE_URL = process.env.DATABASE_URL ?? "";
const onPostgres = SUITE_DATABASE_URL.trim() !== "";

/** A fresh database next to the suite's, migrated, with this process's pg-boss started on it. */
async function openOwnDatabase() {
  const name = `${process.env.TEST_DATABASE_NAME ?? "yuyue_test"}_killed_worker`;
  const admin = postgres(SUITE_DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(SUITE_DATABASE_URL);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  const client = await import("@/db/client");
  const { runMigrations } = await import("@/db/migrate");
  await runMigrations(client.connection());
  await import("@/lib/composition/jobs");
  const boss = await import("@/lib/jobs/boss");
  await boss.getBoss();
  return {
    name,
    db: client.getDb(),
    getBoss: boss.getBoss,
    close: async () => {
      await boss.stopBoss(5_000);
      await client.closeDb();
      const cleanup = postgres(SUITE_DATABASE_URL, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists "${name}" with (force)`);
      await cleanup.end();
    },
  };
}

describe.skipIf(!onPostgres)("a worker killed mid-batch (PostgreSQL, separate worker processes)", () => {
  const { server, received, lookups } = fakeProviders();
  let baseUrl = "";
  let own: Awaited<ReturnType<typeof openOwnDatabase>> | undefined;
  let first: Worker | undefined;
  let second: Worker | undefined;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    own = await openOwnDatabase();
  }, 60_000);
  afterAll(async () => {
    await stop(first, "SIGKILL");
    await stop(second, "SIGTERM");
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await own?.close();
  }, 60_000);

  it("every message reaches the provider within 60 s of a new worker starting, none twice without its key", async () => {
    const { db, getBoss } = own!;
    const { createBooking } = await import("@/lib/booking/create-booking");
    const { makeCustomer, makeService, makeSlot } = await import("@/tests/fixtures");
    const { deliverJob } = await import("./deliver-job");
    // Imported only now: the schema reads the env (PII keys) on load, and the env must already name this test's own database.
    const { notifications } = await import("@/db/schema");
    const workerEnv: NodeJS.ProcessEnv = {
      ...process.env,
      RESEND_API_KEY: "re_test_killed_worker",
      RESEND_BASE_URL: baseUrl,
      SMS_PROVIDER: "aliyun",
      SMS_ACCESS_KEY_ID: "LTAI5tKilledWorker",
      SMS_ACCESS_KEY_SECRET: "killed-worker-secret",
      SMS_SIGN_NAME: "约约预约",
      SMS_ENDPOINT: baseUrl,
      RUN_WORKERS_IN_APP: "",
    };

    // The batch: a confirmation by email and by SMS per customer, written with their delivery jobs
    // by the booking.
    const service = await makeService(db);
    const bookingIds: string[] = [];
    for (let i = 0; i < BOOKINGS; i++) {
      const customer = await makeCustomer(db, {
        phone: `1390000${String(i).padStart(4, "0")}`,
        notificationPrefs: { email: true, sms: true, inApp: true },
      });
      const booking = await createBooking({ customerId: customer.id, timeslotId: (await makeSlot(db, service)).id });
      bookingIds.push(booking.id);
    }
    const messages = await db
      .select({ id: notifications.id, key: notifications.idempotencyKey, channel: notifications.channel })
      .from(notifications)
      .where(
        and(
          inArray(notifications.bookingId, bookingIds),
          inArray(notifications.channel, ["email", "sms"]),
          eq(notifications.type, "booking_confirmed"),
        ),
      );
    expect(messages.filter((m) => m.channel === "email")).toHaveLength(BOOKINGS);
    expect(messages.filter((m) => m.channel === "sms")).toHaveLength(BOOKINGS);
    const expectedKeys = new Set(messages.map((e) => e.key));

    first = startWorker(workerEnv);
    await first.ready;
    expect(await until(() => received.length >= 8, 30_000)).toBe(true);
    // Mid-batch: the worker holds claimed delivery jobs, some of them inside a provider call.
    const held = (await (await getBoss()).findJobs(deliverJob.name)).filter((j) => j.state === "active").length;
    expect(held).toBeGreaterThanOrEqual(10);
    await stop(first, "SIGKILL");
    const killedAt = Date.now();
    const beforeKill = received.length;

    second = startWorker(workerEnv);
    const secondStarted = Date.now();
    const arrivedAt = new Map<string, number>();
    const allArrived = () => {
      for (const r of received) if (r.key && !arrivedAt.has(r.key)) arrivedAt.set(r.key, r.at);
      return [...expectedKeys].every((k) => arrivedAt.has(k));
    };
    await until(allArrived, DEADLINE_MS);
    allArrived();
    const missing = [...expectedKeys].filter((k) => !arrivedAt.has(k));
    const lastAt = Math.max(...[...expectedKeys].map((k) => arrivedAt.get(k) ?? Infinity));
    console.log(
      `[killed-worker] ${beforeKill} provider calls before the kill, ${held} jobs held; after a new worker started: ` +
        `${missing.length} of ${expectedKeys.size} messages (email + SMS) still unsent at ${DEADLINE_MS / 1000} s` +
        (missing.length === 0 ? `, the last one out after ${((lastAt - secondStarted) / 1000).toFixed(1)} s` : "") +
        ` (kill → new worker ${secondStarted - killedAt} ms)`,
    );
    expect(missing).toEqual([]);
    expect(lastAt - secondStarted).toBeLessThanOrEqual(DEADLINE_MS);

    // Every provider call carried the message's own key. An email repeat is only ever under the
    // same key (Resend answers it with the first email); an SMS, which nothing would deduplicate,
    // reached the provider exactly once.
    expect(received.filter((r) => r.key === undefined || !expectedKeys.has(r.key))).toEqual([]);
    const keysByRecipient = new Map<string, Set<string | undefined>>();
    for (const r of received)
      keysByRecipient.set(`${r.channel}:${r.to}`, (keysByRecipient.get(`${r.channel}:${r.to}`) ?? new Set()).add(r.key));
    expect([...keysByRecipient.entries()].filter(([, keys]) => keys.size !== 1)).toEqual([]);
    const sms = received.filter((r) => r.channel === "sms");
    expect(sms).toHaveLength(BOOKINGS);
    expect(new Set(sms.map((r) => r.key)).size).toBe(BOOKINGS);
    const repeats = received.length - keysByRecipient.size;
    console.log(
      `[killed-worker] ${repeats} repeated email requests, each under the message's own idempotency key; 0 repeated SMS, ` +
        `${lookups.length} SMS attempts in doubt settled from the provider's send records`,
    );

    // And the outbox agrees: every message is recorded as sent.
    const unsent = async () => {
      const rows = await db
        .select({
          key: notifications.idempotencyKey,
          status: notifications.status,
          attempts: notifications.attempts,
          lastError: notifications.lastError,
        })
        .from(notifications)
        .where(
          inArray(
            notifications.id,
            messages.map((e) => e.id),
          ),
        );
      return rows.filter((r) => r.status !== "sent");
    };
    await until(async () => (await unsent()).length === 0, 15_000);
    expect(await unsent()).toEqual([]);
  }, 150_000);
});
