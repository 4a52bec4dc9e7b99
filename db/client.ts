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

function open(): Connection {
  const casing = "snake_case" as const;
  if (env.DATABASE_URL) {
    const sql = postgres(env.DATABASE_URL, { max: env.DATABASE_POOL_MAX, onnotice: () => {} });
    const primary = drizzlePostgres(sql, { schema, casing }) as unknown as Db;
    const replicaUrls = env.DATABASE_REPLICA_URLS?.split(",").map((u) => u.trim()).filter(Boolean) ?? [];
    const replicaClients = replicaUrls.map((url) => postgres(url, { max: env.DATABASE_POOL_MAX, onnotice: () => {} }));
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
