import "server-only";
import { asc } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { businesses, type Business } from "@/db/schema";
import { AppError } from "@/lib/errors";

/** The business this deployment serves (one per deployment for now; the schema allows more). */
export async function currentBusiness(db: DbOrTx): Promise<Business> {
  const [row] = await db.select().from(businesses).orderBy(asc(businesses.createdAt)).limit(1);
  if (!row) throw new AppError("NOT_FOUND", "noBusinessYet");
  return row;
}
