import type { PgBoss } from "pg-boss";
import type { JobDefinition } from "./registry";

/**
 * Creates a job's queue (and its dead-letter queue first: pg-boss checks it exists) and brings the
 * retry policy of an existing queue in line with the code. Idempotent, and safe from several
 * processes at once: pg-boss serialises queue creation with an advisory lock.
 */

const DEAD_LETTER_RETENTION_SECONDS = 30 * 24 * 3600;

// Queues this process has created or checked, per boss instance. On globalThis because Next.js
// bundles (instrumentation, each route) load their own copy of this module but share the boss.
const globalForQueues = globalThis as unknown as { yuyueQueuesReady?: WeakMap<PgBoss, Set<string>> };
const ready = (globalForQueues.yuyueQueuesReady ??= new WeakMap());

function readySet(boss: PgBoss): Set<string> {
  let set = ready.get(boss);
  if (!set) ready.set(boss, (set = new Set()));
  return set;
}

export function isQueueReady(boss: PgBoss, name: string): boolean {
  return readySet(boss).has(name);
}

export async function ensureQueue(boss: PgBoss, job: JobDefinition): Promise<void> {
  const done = readySet(boss);
  if (done.has(job.name)) return;
  const o = job.options;
  if (o.deadLetter) {
    // Nothing works a dead-letter queue: its jobs wait there for staff to inspect or redrive.
    await boss.createQueue(o.deadLetter, { retentionSeconds: DEAD_LETTER_RETENTION_SECONDS });
  }
  const retry = {
    retryLimit: o.retryLimit,
    retryDelay: o.retryDelay,
    retryBackoff: o.retryBackoff,
    expireInSeconds: o.expireInSeconds,
  };
  await boss.createQueue(job.name, {
    ...retry,
    policy: o.policy,
    ...(o.retryDelayMax !== undefined ? { retryDelayMax: o.retryDelayMax } : {}),
    ...(o.heartbeatSeconds !== null ? { heartbeatSeconds: o.heartbeatSeconds } : {}),
    ...(o.deadLetter ? { deadLetter: o.deadLetter } : {}),
  });
  // createQueue leaves an existing queue as it was; a changed definition must still take effect.
  const current = await boss.getQueue(job.name);
  if (current && current.policy !== o.policy) {
    throw new Error(`Queue ${job.name} has policy ${current.policy}, the code says ${o.policy}: a policy cannot change`);
  }
  if (
    current &&
    (current.retryLimit !== o.retryLimit ||
      current.retryDelay !== o.retryDelay ||
      current.retryBackoff !== o.retryBackoff ||
      current.expireInSeconds !== o.expireInSeconds ||
      (current.retryDelayMax ?? null) !== (o.retryDelayMax ?? null) ||
      (current.heartbeatSeconds ?? null) !== o.heartbeatSeconds ||
      (current.deadLetter ?? null) !== o.deadLetter)
  ) {
    await boss.updateQueue(job.name, {
      ...retry,
      retryDelayMax: o.retryDelayMax ?? null,
      heartbeatSeconds: o.heartbeatSeconds,
      deadLetter: o.deadLetter,
    });
  }
  done.add(job.name);
}

export async function ensureQueues(boss: PgBoss, jobs: readonly JobDefinition[]): Promise<void> {
  for (const job of jobs) await ensureQueue(boss, job);
}
