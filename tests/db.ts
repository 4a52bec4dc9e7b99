import { afterAll, beforeAll } from "vitest";
import { closeDb, connection } from "@/db/client";
import { runMigrations } from "@/db/migrate";

/** Opens the test database (fresh PostgreSQL database or in-memory PGlite) with migrations applied. */
export function useTestDb() {
  beforeAll(async () => {
    await runMigrations(connection());
  });
  afterAll(async () => {
    await closeDb();
  });
}

export const usingPostgres = () => Boolean(process.env.DATABASE_URL);

/** A short unique suffix so each test seeds rows no other test touches. */
export function uniq(prefix = "t"): string {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}
