import type { Job, JobResult, PgBoss } from "pg-boss";
import { getDb } from "@/db/client";
import { env, envFlag, isEmbeddedDb } from "@/lib/env";
import { getBoss, startedBoss } from "./boss";
import { ensureQueue } from "./queues";
import { getJob, listJobs, type JobData, type JobDefinition } from "./registry";
import { log } from "@/lib/log";

/**
 * Runs registered handlers. Any number of processes may run the same workers against one
 * PostgreSQL database: pg-boss claims each job with SELECT … FOR UPDATE SKIP LOCKED, and its cron
 * pass sends each scheduled occurrence once across all instances.
 */

export interface StartWorkersOptions {
  /** Queue names to work; default every registered job. */
  queues?: string[];
  /** Seconds between polls of an idle queue (pg-boss minimum 0.5). Default 2. */
  pollingIntervalSeconds?: number;
}

// Queues this process works, per boss instance (a stopped boss takes its workers with it); on
// globalThis like the boss itself, so every Next.js bundle sees the same workers.
const globalForWorkers = globalThis as unknown as { yuyueWorking?: WeakMap<PgBoss, Set<string>> };
const working = (globalForWorkers.yuyueWorking ??= new WeakMap());

/** Jobs fetched per poll; while fetches come back full the worker keeps fetching without a pause. */
const BATCH = 10;

/**
 * Runs a fetched batch job by job and settles each on its own (pg-boss `perJobResults`): one
 * failing job is retried alone, the rest complete.
 */
function handlerFor(def: JobDefinition) {
  return async (jobs: Job<JobData>[]): Promise<JobResult[]> => {
    const results: JobResult[] = [];
    for (const job of jobs) {
      try {
        await def.handler(job.data ?? {}, {
          id: job.id,
          name: job.name,
          retryCount: job.retryCount,
          signal: job.signal,
          db: getDb(),
        });
        results.push({ id: job.id, status: "completed" });
      } catch (err) {
        const attempt = `${job.retryCount + 1}/${def.options.retryLimit + 1}`;
        const message = err instanceof Error ? err.message : String(err);
        log.warn(`[jobs] ${def.name} ${job.id} failed (attempt ${attempt}):`, message);
        results.push({ id: job.id, status: "failed", output: { message } });
      }
    }
    return results;
  };
}

async function syncSchedule(boss: PgBoss, def: JobDefinition): Promise<void> {
  const schedule = def.options.schedule;
  if (schedule) {
    await boss.schedule(def.name, schedule.cron, schedule.data ?? null, { tz: schedule.tz ?? env.BUSINESS_TIMEZONE });
  } else if (await boss.getSchedule(def.name)) {
    // The code no longer schedules this job: stop the recurring sends left by an older version.
    await boss.unschedule(def.name);
  }
}

/** Creates each queue (retry policy, dead-letter queue), starts its worker and its schedule. Idempotent. */
export async function startWorkers(options: StartWorkersOptions = {}): Promise<string[]> {
  const defs = options.queues ? options.queues.map(getJob) : listJobs();
  const boss = await getBoss();
  let names = working.get(boss);
  if (!names) working.set(boss, (names = new Set()));
  for (const def of defs) {
    await ensureQueue(boss, def);
    if (!names.has(def.name)) {
      await boss.work<JobData>(
        def.name,
        {
          batchSize: BATCH,
          perJobResults: true,
          burstWhenBatchFull: true,
          localConcurrency: def.options.concurrency,
          pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2,
        },
        handlerFor(def),
      );
      names.add(def.name);
    }
    await syncSchedule(boss, def);
  }
  return defs.map((d) => d.name);
}

/** Stops fetching new jobs and waits for running ones; the boss itself stays up for sending. */
export async function stopWorkers(): Promise<void> {
  const boss = startedBoss();
  const names = boss && working.get(boss);
  if (!boss || !names) return;
  for (const name of names) await boss.offWork(name, { wait: true });
  names.clear();
}

/** Workers run inside the app server on the embedded database (PGlite lives there), or when asked to. */
export function workersRunInApp(): boolean {
  return isEmbeddedDb() || envFlag(env.RUN_WORKERS_IN_APP);
}
