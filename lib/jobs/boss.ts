import { PgBoss, fromPglite, type ConstructorOptions } from "pg-boss";
import { connection } from "@/db/client";
import { env } from "@/lib/env";
import { isDbUnavailable, logUnavailable } from "@/lib/errors";
import { ensureQueues } from "./queues";
import { listJobs } from "./registry";
import { log } from "@/lib/log";

/**
 * The process's one pg-boss instance. On PostgreSQL it opens its own small `pg` pool from
 * DATABASE_URL (pg-boss needs session-level features, e.g. LISTEN and its own transactions,
 * that a shared postgres.js pool does not give it). On the embedded database it must run on the
 * app's own PGlite instance: a second instance over the same data directory would corrupt it.
 * pg-boss installs or migrates its `pgboss` schema itself on start, under an advisory lock.
 */

const SCHEMA = "pgboss";

type BossState = { boss?: PgBoss; starting?: Promise<PgBoss> };
const globalForBoss = globalThis as unknown as { yuyueBoss?: BossState };
const state: BossState = (globalForBoss.yuyueBoss ??= {});

/**
 * How often each instance runs pg-boss's supervise pass, and how often (across all instances)
 * a queue's monitor runs in it. The monitor is what fails a job whose lease lapsed (heartbeat,
 * see JobOptions.heartbeatSeconds) or whose expiry passed, so these bound how long a killed
 * worker's jobs stay stuck: lease + up to two passes. pg-boss's 60 s default made that up to two
 * minutes; 10 s keeps it well inside one. The cost is the monitor's queue-count aggregate every
 * 10 s instead of every minute (pg-boss backs it off by itself when it gets slow).
 */
export const SUPERVISE_INTERVAL_SECONDS = 10;

function options(): ConstructorOptions {
  const common: ConstructorOptions = {
    schema: SCHEMA,
    instanceName: `yuyue:${process.pid}`,
    superviseIntervalSeconds: SUPERVISE_INTERVAL_SECONDS,
    monitorIntervalSeconds: SUPERVISE_INTERVAL_SECONDS,
  };
  const conn = connection();
  if (conn.kind === "pglite") {
    return { ...common, db: fromPglite(conn.pglite), backend: "pglite" };
  }
  // Bounded like the app's pool (db/client.ts): a connect gives up after DATABASE_CONNECT_TIMEOUT_MS
  // (pg-boss's default is 10 s), idle connections close, and statements are capped server-side,
  // more loosely than requests' (maintenance runs bigger statements); pg's Pool reconnects on demand.
  const statementTimeoutMs =
    env.DATABASE_STATEMENT_TIMEOUT_MS > 0 ? Math.max(env.DATABASE_STATEMENT_TIMEOUT_MS, JOBS_MIN_STATEMENT_TIMEOUT_MS) : 0;
  const pool = {
    connectionTimeoutMillis: env.DATABASE_CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: env.DATABASE_IDLE_TIMEOUT_MS,
    options: statementTimeoutMs > 0 ? `-c statement_timeout=${statementTimeoutMs}` : undefined,
  };
  return { ...common, ...pool, connectionString: env.DATABASE_URL, max: Math.min(env.DATABASE_POOL_MAX, 5) };
}

const JOBS_MIN_STATEMENT_TIMEOUT_MS = 60_000;

async function start(): Promise<PgBoss> {
  const boss = new PgBoss(options());
  // An EventEmitter without an "error" listener throws: pg-boss reports background failures here.
  // A database outage is reported once per few seconds, not once per poll with the whole client dumped.
  boss.on("error", (err) => (isDbUnavailable(err) ? logUnavailable("jobs", err) : log.error("[jobs] pg-boss error:", err)));
  boss.on("warning", (w) => log.warn("[jobs] pg-boss warning:", w.message));
  await boss.start();
  try {
    // Every queue this process knows exists before anything is sent to it.
    await ensureQueues(boss, listJobs());
  } catch (err) {
    await boss.stop({ graceful: false }).catch(() => {});
    throw err;
  }
  state.boss = boss;
  return boss;
}

/**
 * The started pg-boss instance, started on first call with every registered queue created.
 * On PGlite, never call it for the first time inside an open transaction: starting runs statements
 * outside it, which wait for the transaction that is waiting for them.
 */
export function getBoss(): Promise<PgBoss> {
  if (state.boss) return Promise.resolve(state.boss);
  state.starting ??= start().finally(() => {
    state.starting = undefined;
  });
  return state.starting;
}

/** The instance if it has finished starting; never starts one. */
export function startedBoss(): PgBoss | undefined {
  return state.boss;
}

/** Stops workers and timers, letting running jobs finish (up to `timeoutMs`), and closes pg-boss's pool. */
export async function stopBoss(timeoutMs = 30_000): Promise<void> {
  const boss = state.boss ?? (await state.starting?.catch(() => undefined));
  state.boss = undefined;
  if (!boss) return;
  await boss.stop({ graceful: true, timeout: timeoutMs, close: true });
}
