import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { mkdirSync } from "node:fs";
import postgres from "postgres";
import { env } from "@/lib/env";
import * as schema from "./schema";
import { log } from "@/lib/log";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** A data function's first parameter: the database or an open transaction. */
export type DbOrTx = Db | Tx;

type Replica = { db: Db; sql: postgres.Sql };

export type Connection =
  /** `db` is the primary; `replicas` are the DATABASE_REPLICA_URLS, read only through the accessors below getDb(). */
  | { kind: "postgres"; db: Db; replicas: Replica[]; sql: postgres.Sql; close: () => Promise<void> }
  | { kind: "pglite"; db: Db; pglite: PGlite; close: () => Promise<void> };

export function openPglite(dataDir: string): PGlite {
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  // btree_gist must be passed on every open: the exclusion constraint needs it.
  return new PGlite(dataDir, { extensions: { btree_gist } });
}

/**
 * postgres.js pool options: bounded connect, idle and statement time, and a short reconnect backoff.
 * By default postgres.js waits 30 s for a connect and backs off up to 20 s between attempts once
 * connections fail, so after a database restart requests hung for 30 s and the first good answer
 * came seconds after the server was back. Here a refused or unreachable server fails a query within
 * DATABASE_CONNECT_TIMEOUT_MS (answered 503 by lib/api/handler.ts) and the pool retries at most
 * DATABASE_RECONNECT_MAX_DELAY_MS apart, so it recovers by itself. (The driver's own hang after a
 * restart is fixed by scripts/patch-postgres.mjs.)
 */
export function poolOptions(): postgres.Options<Record<string, postgres.PostgresType>> {
  const maxDelayS = env.DATABASE_RECONNECT_MAX_DELAY_MS / 1000;
  return {
    max: env.DATABASE_POOL_MAX,
    onnotice: () => {},
    connect_timeout: env.DATABASE_CONNECT_TIMEOUT_MS / 1000,
    idle_timeout: env.DATABASE_IDLE_TIMEOUT_MS > 0 ? env.DATABASE_IDLE_TIMEOUT_MS / 1000 : undefined,
    // Seconds; `retries` counts failed connects in a row, reset by a successful one. Jittered.
    backoff: (retries: number) => Math.min(maxDelayS, 0.05 * 2 ** retries) * (0.5 + Math.random() / 2),
    connection: {
      statement_timeout: env.DATABASE_STATEMENT_TIMEOUT_MS,
      idle_in_transaction_session_timeout: env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    },
  };
}

function open(): Connection {
  const casing = "snake_case" as const;
  if (env.DATABASE_URL) {
    const sql = postgres(env.DATABASE_URL, poolOptions());
    const primary = drizzlePostgres(sql, { schema, casing }) as unknown as Db;
    const replicaUrls =
      env.DATABASE_REPLICA_URLS?.split(",")
        .map((u) => u.trim())
        .filter(Boolean) ?? [];
    const replicaClients = replicaUrls.map((url) => postgres(url, poolOptions()));
    const replicas = replicaClients.map((c) => ({ sql: c, db: drizzlePostgres(c, { schema, casing }) as unknown as Db }));
    return {
      kind: "postgres",
      db: primary,
      replicas,
      sql,
      close: async () => {
        await Promise.all([sql.end({ timeout: 5 }), ...replicaClients.map((c) => c.end({ timeout: 5 }))]);
      },
    };
  }
  const pglite = openPglite(env.PGLITE_DATA_DIR);
  const db = drizzlePglite(pglite, { schema, casing }) as unknown as Db;
  return { kind: "pglite", db, pglite, close: () => pglite.close() };
}

const globalForDb = globalThis as unknown as { yuyueDb?: Connection };

/**
 * The process's one connection, opened on first use. Kept on globalThis so
 * Next.js dev reloads and route bundles share it: PGlite must live once per process.
 */
export function connection(): Connection {
  globalForDb.yuyueDb ??= open();
  return globalForDb.yuyueDb;
}

/*
 * Which database a read goes to. Replicas replay the primary's WAL asynchronously, so a row
 * committed a moment ago may not be on them yet (for as long as replay lags or is paused).
 *
 * - getDb() is the primary: every write, every transaction, and every read unless it is named
 *   below. Reads that must see what was just written stay here: an outbox delivery loading its
 *   notification, idempotency keys, per-customer limit counts, a payment notice finding its
 *   payment, sessions and tokens, any page shown right after the visitor's own change.
 * - getReadReplicaDb(): reads whose answer may be seconds old without anyone losing data or being
 *   told something wrong, because nothing is decided on it: public service lists, dashboard report
 *   tiles, charts and CSV exports.
 * - getCaughtUpReadDb(): a replica only if it has replayed everything committed before the call,
 *   else the primary. For availability day lists loaded on a cache miss: they are cached, and a
 *   booking invalidates them right after it commits, so a lagging replica would otherwise refill
 *   the cache with the seats it just took.
 * Never pass a replica into a transaction or use its answer for a write.
 * Without DATABASE_REPLICA_URLS (or on PGlite) every accessor returns the primary.
 */
export function getDb(): Db {
  return connection().db;
}

function pickReplica(c: Connection): Replica | undefined {
  if (c.kind !== "postgres" || c.replicas.length === 0) return undefined;
  return c.replicas[Math.floor(Math.random() * c.replicas.length)];
}

/** A read replica chosen at random, which may lag (see above); the primary when none is configured. */
export function getReadReplicaDb(): Db {
  const c = connection();
  return pickReplica(c)?.db ?? c.db;
}

async function caughtUpOrPrimary(primary: Db, primarySql: postgres.Sql, replica: Replica): Promise<Db> {
  const [at] = await primarySql<{ lsn: string }[]>`select pg_current_wal_lsn()::text as lsn`;
  try {
    const [row] = await replica.sql<{ ok: boolean | null }[]>`
      select pg_last_wal_replay_lsn() >= ${at!.lsn}::pg_lsn as ok`;
    return row?.ok ? replica.db : primary;
  } catch (err) {
    log.warn("[db] read replica unavailable, reading the primary:", err instanceof Error ? err.message : err);
    return primary;
  }
}

const globalForFence = globalThis as unknown as { yuyueNextFence?: Promise<Db> };

/**
 * A replica that has replayed the primary's WAL up to where it stood at this call, else the primary
 * (also when the replica cannot be asked). Costs one trivial query on each. Callers that arrive
 * before the check's primary query is sent share it (a month of cache misses asks once): the
 * position it reads is still later than each of their calls.
 */
export function getCaughtUpReadDb(): Promise<Db> {
  const c = connection();
  const replica = pickReplica(c);
  if (c.kind !== "postgres" || !replica) return Promise.resolve(c.db);
  globalForFence.yuyueNextFence ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
    globalForFence.yuyueNextFence = undefined;
    return caughtUpOrPrimary(c.db, c.sql, replica);
  });
  return globalForFence.yuyueNextFence;
}

export async function closeDb(): Promise<void> {
  const c = globalForDb.yuyueDb;
  globalForDb.yuyueDb = undefined;
  await c?.close();
}
