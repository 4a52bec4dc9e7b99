import "server-only";
import { asc, desc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { reconciliationItems, reconciliationRuns, users } from "@/db/schema";

/** The latest runs, newest day first (both gateways), for the reconciliation page. */
export function listReconciliationRuns(db: Db, limit = 60) {
  return db.select().from(reconciliationRuns).orderBy(desc(reconciliationRuns.billDate), asc(reconciliationRuns.gateway)).limit(limit);
}

/** One run with its differences, open ones first, and who resolved each. */
export async function reconciliationRun(db: Db, runId: string) {
  const [run] = await db.select().from(reconciliationRuns).where(eq(reconciliationRuns.id, runId));
  if (!run) return null;
  const items = await db
    .select({ item: reconciliationItems, resolverName: users.name })
    .from(reconciliationItems)
    .leftJoin(users, eq(users.id, reconciliationItems.resolvedBy))
    .where(eq(reconciliationItems.runId, runId))
    .orderBy(desc(reconciliationItems.status), asc(reconciliationItems.kind), asc(reconciliationItems.outTradeNo));
  return { run, items };
}
