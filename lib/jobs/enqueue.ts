import { is, sql, type SQL } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import { fromDrizzle, type Db as BossDb, type PgBoss, type SendOptions } from "pg-boss";
import { connection, type DbOrTx } from "@/db/client";
import { getBoss, startedBoss } from "./boss";
import { ensureQueue, isQueueReady } from "./queues";
import { getJob, type JobData, type JobDefinition } from "./registry";

/**
 * Transactional enqueue: the job row is inserted by the caller's own transaction, so it exists
 * exactly when the caller's change commits (the outbox pattern without a separate relay).
 */

export interface EnqueueOptions {
  /** A Date, or seconds from now. */
  startAfter?: Date | number;
  /** Deduplicates only on a queue with a non-standard policy, or together with `singletonSeconds`. */
  singletonKey?: string;
  singletonSeconds?: number;
  /** Override the queue's retry policy for this job. */
  retryLimit?: number;
  retryDelay?: number;
  retryBackoff?: boolean;
  expireInSeconds?: number;
  /** Override the queue's dead-letter queue for this job. */
  deadLetter?: string;
  priority?: number;
}

/**
 * pg-boss's `IDatabase` over a drizzle database or open transaction. drizzle's `execute` runs on
 * the transaction's own connection: postgres.js's reserved `begin` client, or PGlite's transaction.
 */
export function bossDb(tx: DbOrTx): BossDb {
  return fromDrizzle(
    // fromDrizzle builds its queries with the `sql` tag passed below, so `query` is a drizzle SQL.
    { execute: (query) => tx.execute(query as SQL) as Promise<unknown[] | { rows: unknown[] }> },
    sql,
  );
}

/** The boss to send with, without ever waiting on PGlite for a statement outside the transaction. */
async function senderFor(tx: DbOrTx, job: JobDefinition): Promise<PgBoss> {
  // `is`, not instanceof: each Next.js bundle may carry its own copy of drizzle's classes.
  if (connection().kind === "pglite" && is(tx, PgTransaction)) {
    // PGlite runs one transaction at a time: starting pg-boss or creating a queue now would queue
    // behind this very transaction and hang it. Fail loudly instead.
    const boss = startedBoss();
    if (!boss || !isQueueReady(boss, job.name)) {
      throw new Error(
        `Job queue "${job.name}" is not ready on the embedded database: start the job system ` +
          `(await getBoss() from lib/jobs/boss, after importing the job's module) before opening the transaction`,
      );
    }
    return boss;
  }
  const boss = await getBoss();
  await ensureQueue(boss, job);
  return boss;
}

function sendOptions(options: EnqueueOptions, db: BossDb): SendOptions {
  // pg-boss validates every key present, so an explicit `undefined` must not reach it.
  const defined: EnqueueOptions = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return { ...defined, db };
}

/**
 * Adds a job inside `tx` (or on its own when given the database). Returns the job id, or null when
 * a singleton rule kept the job out.
 */
export async function enqueue<TData extends JobData>(
  tx: DbOrTx,
  job: JobDefinition<TData> | string,
  data: TData,
  options: EnqueueOptions = {},
): Promise<string | null> {
  const def = typeof job === "string" ? getJob(job) : job;
  const db = bossDb(tx);
  const boss = await senderFor(tx, def);
  return boss.send(def.name, data, sendOptions(options, db));
}

/**
 * Adds several jobs of one queue in a single statement inside `tx` (each may have its own
 * startAfter); the queue's retry and dead-letter policy applies to every one.
 */
export async function enqueueMany<TData extends JobData>(
  tx: DbOrTx,
  job: JobDefinition<TData>,
  items: { data: TData; startAfter?: Date }[],
): Promise<void> {
  if (items.length === 0) return;
  const boss = await senderFor(tx, job);
  await boss.insert(
    job.name,
    items.map((i) => (i.startAfter ? { data: i.data, startAfter: i.startAfter } : { data: i.data })),
    { db: bossDb(tx) },
  );
}

/** Cancels queued jobs (e.g. a booking's reminders) in the same transaction as the change that voids them. */
export async function cancelJobs<TData extends JobData>(tx: DbOrTx, job: JobDefinition<TData> | string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const def = typeof job === "string" ? getJob(job) : job;
  const boss = await senderFor(tx, def);
  await boss.cancel(def.name, ids, { db: bossDb(tx) });
}
