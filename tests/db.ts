import { afterAll, beforeAll } from "vitest";
import { closeDb, connection } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { getBoss, stopBoss } from "@/lib/jobs/boss";

/**
 * Opens the test database (fresh PostgreSQL database or in-memory PGlite) with migrations applied
 * and the job queue started with every registered job, as the app server does before serving:
 * domain writes enqueue their jobs inside their own transactions.
 */
export function setupTestDb() {
  beforeAll(async () => {
    await runMigrations(connection());
    await import("@/lib/composition/jobs");
    await getBoss();
  });
  afterAll(async () => {
    await stopBoss(5_000);
    await closeDb();
  });
}

export const usingPostgres = () => Boolean(process.env.DATABASE_URL);

/** A short unique suffix so each test seeds rows no other test touches. */
export function uniq(prefix = "t"): string {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}
