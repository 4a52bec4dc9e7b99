import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { withReplicas } from "drizzle-orm/pg-core";
import { mkdirSync } from "node:fs";
import postgres from "postgres";
import { env } from "@/lib/env";
import * as schema from "./schema";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** A data function's first parameter: the database or an open transaction. */
export type DbOrTx = Db | Tx;

export type Connection =
  | { kind: "postgres"; db: Db; sql: postgres.Sql; close: () => Promise<void> }
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
    const replicaUrls = env.DATABASE_REPLICA_URLS?.split(",").map((u) => u.trim()).filter(Boolean) ?? [];
    const replicaClients = replicaUrls.map((url) => postgres(url, poolOptions()));
    const replicas = replicaClients.map((c) => drizzlePostgres(c, { schema, casing }) as unknown as Db);
    const [first, ...rest] = replicas;
    const db = first ? (withReplicas(primary, [first, ...rest]) as unknown as Db) : primary;
    return {
      kind: "postgres",
      db,
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

export function getDb(): Db {
  return connection().db;
}

export async function closeDb(): Promise<void> {
  const c = globalForDb.yuyueDb;
  globalForDb.yuyueDb = undefined;
  await c?.close();
}
