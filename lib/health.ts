import "server-only";
import { sql } from "drizzle-orm";
import { connection } from "@/db/client";
import { cacheHealth, getCache } from "@/lib/cache";
import { queueHealth } from "@/lib/jobs/status";

type Status = "ok" | "down";

async function dbHealth(): Promise<Status> {
  try {
    await connection().db.execute(sql`select 1`);
    return "ok";
  } catch {
    return "down";
  }
}

/** The database is required; cache and queue outages degrade but do not stop bookings. */
export async function health() {
  const [db, cache, queue] = await Promise.all([dbHealth(), cacheHealth(), queueHealth()]);
  const status = db === "down" ? "down" : cache === "ok" && queue === "ok" ? "ok" : "degraded";
  return { status, db, cache, queue, dbKind: connection().kind, cacheKind: getCache().kind } as const;
}
