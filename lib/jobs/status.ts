import { getBoss } from "./boss";
import { listJobs } from "./registry";

/** Read-only views of the job system for /api/health and the staff dashboard. */

const HEALTH_TIMEOUT_MS = 3_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** "ok" when pg-boss is started and its schema answers within a few seconds. */
export async function queueHealth(): Promise<"ok" | "down"> {
  try {
    const installed = await withTimeout(
      getBoss().then((boss) => boss.isInstalled()),
      HEALTH_TIMEOUT_MS,
    );
    return installed ? "ok" : "down";
  } catch {
    return "down";
  }
}

export interface JobCounts {
  name: string;
  /** Waiting to run: new, retrying or deferred. */
  queued: number;
  /** Of those, runnable now. */
  ready: number;
  /** Deferred: `startAfter` still ahead (includes retries waiting out their backoff). */
  deferred: number;
  active: number;
  /** Failed after all retries, still retained. */
  failed: number;
  /** Waiting in the dead-letter queue. */
  dead: number;
}

/**
 * Per registered job, the counts pg-boss keeps on its queue rows. They are refreshed by its monitor
 * pass (every SUPERVISE_INTERVAL_SECONDS, see boss.ts), so reading them costs one small query
 * however many jobs there are.
 */
export async function jobCounts(): Promise<JobCounts[]> {
  const boss = await getBoss();
  const byName = new Map((await boss.getQueues()).map((q) => [q.name, q]));
  return listJobs().map(({ name, options }) => {
    const q = byName.get(name);
    const dead = options.deadLetter ? byName.get(options.deadLetter) : undefined;
    return {
      name,
      queued: q?.queuedCount ?? 0,
      ready: q?.readyCount ?? 0,
      deferred: q?.deferredCount ?? 0,
      active: q?.activeCount ?? 0,
      failed: q?.failedCount ?? 0,
      dead: dead?.queuedCount ?? 0,
    };
  });
}
