import "server-only";
import { inArray } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { users } from "@/db/schema";
import { demoAccounts } from "@/lib/demo-accounts";

export type DemoAccount = (typeof demoAccounts)[number];

/**
 * The demo accounts the sign-in page may list: only those that exist here, so a production install
 * (seeded without SEED_DEMO_ACCOUNTS) shows none.
 */
export async function demoAccountHints(db: DbOrTx = getDb()): Promise<DemoAccount[]> {
  const rows = await db
    .select({ email: users.email, role: users.role })
    .from(users)
    .where(
      inArray(
        users.email,
        demoAccounts.map((a) => a.email),
      ),
    );
  return demoAccounts.filter((a) => rows.some((r) => r.email === a.email && r.role === a.role));
}
