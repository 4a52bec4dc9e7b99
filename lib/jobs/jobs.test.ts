import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { setupTestDb, usingPostgres } from "@/tests/db";
import { getBoss, stopBoss } from "./boss";
import { cancelJobs, enqueue } from "./enqueue";
import { deliverJob } from "@/lib/notifications/deliver-job";
import { DEFAULT_HEARTBEAT_SECONDS, defineJob } from "./registry";
import { jobCounts, queueHealth } from "./status";
import { startWorkers, stopWorkers, workersRunInApp } from "./worker";

setupTestDb();

const POLL = { pollingIntervalSeconds: 0.5 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(100);
  }
}

const ran: { queue: string; tag: string; at: number }[] = [];
const record = (queue: string) => async (data: { tag: string }) => {
  ran.push({ queue, tag: data.tag, at: Date.now() });
};
const ranTags = (queue: string) => ran.filter((r) => r.queue === queue).map((r) => r.tag);

const txJob = defineJob<{ tag: string }>({ name: "test.tx", handler: record("test.tx") });
const delayedJob = defineJob<{ tag: string }>({ name: "test.delayed", handler: record("test.delayed") });
const inAppJob = defineJob<{ tag: string }>({ name: "test.in-app", handler: record("test.in-app") });
const failing = defineJob<{ tag: string }>({
  name: "test.failing",
  options: { retryLimit: 2, retryDelay: 1, retryBackoff: true },
  handler: async (data) => {
    ran.push({ queue: "test.failing", tag: data.tag, at: Date.now() });
    throw new Error("always fails");
  },
});
const scheduled = defineJob<{ tag: string }>({
  name: "test.scheduled",
  options: { schedule: { cron: "*/5 * * * *", tz: "Asia/Shanghai", data: { tag: "cron" } } },
  handler: record("test.scheduled"),
});

beforeAll(async () => {
  await getBoss();
});

afterAll(async () => {
  await stopWorkers();
  await stopBoss(5_000);
});

describe("transactional enqueue", () => {
  it("a rolled-back transaction leaves no job; a committed one runs", async () => {
    await startWorkers({ queues: [txJob.name], ...POLL });
    const db = getDb();
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(sql`select 1`);
        await enqueue(tx, txJob, { tag: "rolled-back" });
        tx.rollback();
      }),
    ).rejects.toThrow();
    let committedId: string | null = null;
    await db.transaction(async (tx) => {
      committedId = await enqueue(tx, txJob, { tag: "committed" });
    });
    expect(committedId).toBeTruthy();
    await until(() => ranTags("test.tx").includes("committed"));
    await sleep(1_200); // two more polls: a leaked job would have run by now
    expect(ranTags("test.tx")).toEqual(["committed"]);
    const jobs = await (await getBoss()).findJobs<{ tag: string }>(txJob.name);
    expect(jobs.map((j) => j.data.tag)).toEqual(["committed"]);
  });

  it("rejects an unknown job name", async () => {
    await expect(enqueue(getDb(), "test.nope", {})).rejects.toThrow(/Unknown job/);
  });

  it("creates the queue of a job defined after start, except inside a PGlite transaction", async () => {
    const late = defineJob<{ tag: string }>({ name: "test.late", handler: record("test.late") });
    const inTx = getDb().transaction((tx) => enqueue(tx, late, { tag: "late" }));
    if (usingPostgres()) {
      await expect(inTx).resolves.toBeTruthy();
    } else {
      // Creating the queue would wait for this very transaction: refused at once, never a hang.
      await expect(inTx).rejects.toThrow(/not ready on the embedded database/);
      await expect(enqueue(getDb(), late, { tag: "late" })).resolves.toBeTruthy();
    }
  });
});

describe("retries and dead letters", () => {
  it("retries retryLimit times with growing delays, then dead-letters the job as failed", async () => {
    await startWorkers({ queues: [failing.name], ...POLL });
    const id = await enqueue(getDb(), failing, { tag: "doomed" });
    expect(id).toBeTruthy();
    const boss = await getBoss();
    const [dead] = await until(async () => {
      const found = await boss.findJobs<{ tag: string }>(`${failing.name}__dead`);
      return found.length > 0 ? found : undefined;
    }, 25_000);
    const attempts = ran.filter((r) => r.queue === "test.failing").map((r) => r.at);
    expect(attempts).toHaveLength(3); // first attempt + retryLimit 2
    const [a0 = 0, a1 = 0, a2 = 0] = attempts;
    // Backoff: delay ≈ retryDelay × 2^(n-1) × (1 + random), so ≥ 1 s then ≥ 2 s.
    expect(a1 - a0).toBeGreaterThanOrEqual(900);
    expect(a2 - a1).toBeGreaterThanOrEqual(1_900);
    expect(dead?.data).toEqual({ tag: "doomed" });
    const [original] = await boss.findJobs(failing.name, { id: id ?? "" });
    expect(original).toMatchObject({ state: "failed", retryCount: 2 });
    const deadJobs = await boss.findJobs(`${failing.name}__dead`);
    expect(deadJobs[0]).toMatchObject({ sourceName: failing.name, sourceId: id });
  }, 40_000);
});

describe("leases", () => {
  const leased = defineJob<{ tag: string }>({
    name: "test.leased",
    options: { heartbeatSeconds: 10, retryDelay: 0, retryBackoff: false },
    handler: record("test.leased"),
  });

  it("a job whose worker stops renewing its lease is retried after the lease, not after its expiry", async () => {
    const boss = await getBoss();
    const id = await enqueue(getDb(), leased, { tag: "orphan" });
    expect(await boss.getQueue(leased.name)).toMatchObject({ heartbeatSeconds: 10, expireInSeconds: 900 });
    // Taken by a worker that then dies: fetch() claims the job and nothing ever renews the lease.
    const [job] = await boss.fetch(leased.name);
    expect(job).toMatchObject({ id, heartbeatSeconds: 10, expireInSeconds: 900 });
    const takenAt = Date.now();
    const retried = await until(async () => {
      const [found] = await boss.findJobs(leased.name, { id: id ?? "" });
      return found?.state === "retry" ? found : undefined;
    }, 35_000);
    // 10 s lease, then the next monitor pass (every 10 s): far inside the 900 s expiry.
    expect(Date.now() - takenAt).toBeGreaterThanOrEqual(9_000);
    expect(Date.now() - takenAt).toBeLessThan(32_000);
    expect(retried.output).toMatchObject({ value: { message: "job heartbeat timeout" } });
  }, 45_000);

  it("every queue gets a lease by default; message delivery a short one", async () => {
    const boss = await getBoss();
    expect(txJob.options.heartbeatSeconds).toBe(DEFAULT_HEARTBEAT_SECONDS);
    expect((await boss.getQueue(txJob.name))?.heartbeatSeconds).toBe(DEFAULT_HEARTBEAT_SECONDS);
    expect((await boss.getQueue(deliverJob.name))?.heartbeatSeconds).toBe(10);
  });
});

describe("delayed jobs", () => {
  it("does not run before startAfter (seconds or a Date)", async () => {
    await startWorkers({ queues: [delayedJob.name], ...POLL });
    const sentAt = Date.now();
    await enqueue(getDb(), delayedJob, { tag: "in-2s" }, { startAfter: 2 });
    await enqueue(getDb(), delayedJob, { tag: "at-date" }, { startAfter: new Date(sentAt + 2_000) });
    await sleep(1_200);
    expect(ranTags("test.delayed")).toEqual([]);
    await until(() => ranTags("test.delayed").length === 2);
    for (const r of ran.filter((x) => x.queue === "test.delayed")) {
      expect(r.at - sentAt).toBeGreaterThanOrEqual(1_900);
    }
  });

  it("cancels a pending job inside a transaction", async () => {
    const id = await enqueue(getDb(), delayedJob, { tag: "cancel-me" }, { startAfter: 3600 });
    await getDb().transaction((tx) => cancelJobs(tx, delayedJob, [id ?? ""]));
    const [job] = await (await getBoss()).findJobs(delayedJob.name, { id: id ?? "" });
    expect(job?.state).toBe("cancelled");
  });
});

describe("schedules", () => {
  it("registers a recurring schedule for a job with a cron", async () => {
    await startWorkers({ queues: [scheduled.name], ...POLL });
    const schedules = await (await getBoss()).getSchedules(scheduled.name);
    expect(schedules).toHaveLength(1);
    expect(schedules[0]).toMatchObject({ name: scheduled.name, cron: "*/5 * * * *", timezone: "Asia/Shanghai" });
    expect(schedules[0]?.data).toEqual({ tag: "cron" });
  });
});

describe("status", () => {
  it("reports the queue as healthy and counts jobs per registered queue", async () => {
    expect(await queueHealth()).toBe("ok");
    const counts = await jobCounts();
    expect(counts.map((c) => c.name)).toEqual(expect.arrayContaining([txJob.name, failing.name]));
  });
});

describe.skipIf(usingPostgres())("in-process workers on PGlite", () => {
  it("runs a job end to end inside this process", async () => {
    expect(workersRunInApp()).toBe(true);
    // What instrumentation.ts does: every registered queue gets a worker in this process.
    const queues = await startWorkers();
    expect(queues).toContain(inAppJob.name);
    await getDb().transaction(async (tx) => {
      await enqueue(tx, inAppJob, { tag: "in-app" });
    });
    await until(() => ranTags("test.in-app").includes("in-app"), 10_000);
  });
});
