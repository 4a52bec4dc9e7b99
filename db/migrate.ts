import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import path from "node:path";
import { keyring } from "@/lib/pii/keys";
import { sealPii } from "@/lib/pii/seal";
import type { Connection } from "./client";

export const migrationsFolder = path.join(process.cwd(), "db", "migrations");

/**
 * Applies the drizzle-kit journal, then encrypts any personal data still in plaintext (rows from
 * before migration 0010: SQL cannot, the key is the application's). Safe to run any number of
 * times, on either driver; the backfill is a no-op once done.
 */
export async function runMigrations(conn: Connection): Promise<void> {
  keyring(); // no keys in production: fail before touching the schema
  await applyJournal(conn);
  await sealPii(conn.db);
}

async function applyJournal(conn: Connection): Promise<void> {
  if (conn.kind === "pglite") {
    await migratePglite(conn.db as unknown as PgliteDatabase, { migrationsFolder });
  } else {
    // Serialise concurrent migrators (several app nodes starting at once).
    const lock = await conn.sql.reserve();
    // Waiting for another migrator may take longer than the pool's statement_timeout.
    await lock`set statement_timeout = 0`;
    await lock`select pg_advisory_lock(7428001)`;
    try {
      await migratePostgres(conn.db as unknown as PostgresJsDatabase, { migrationsFolder });
    } finally {
      await lock`select pg_advisory_unlock(7428001)`;
      await lock`reset statement_timeout`;
      lock.release();
    }
  }
}
