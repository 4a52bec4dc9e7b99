import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { apiKeys, users } from "@/db/schema";
import { cachedInGeneration, invalidateGenerations } from "@/lib/cache";
import { forgetUserTokens } from "./api-tokens";
import type { Role } from "./config";

export type SessionState = { role: Role; sessionVersion: number };

/** Seconds a session check may rely on the cache; every change below also invalidates it at once. */
const SESSION_STATE_TTL_S = 30;
const group = (userId: string) => `session-state:${userId}`;

/**
 * The role and session version a signed-in cookie is checked against on every request: from
 * PostgreSQL, cached briefly under a generation token that every change replaces after it commits,
 * so a demotion or sign-out is seen by the next request on every node. Null for a removed account.
 */
export async function sessionState(userId: string, db: DbOrTx = getDb()): Promise<SessionState | null> {
  return cachedInGeneration(group(userId), SESSION_STATE_TTL_S, async () => {
    const [row] = await db
      .select({ role: users.role, sessionVersion: users.sessionVersion })
      .from(users)
      .where(eq(users.id, userId))
      .limit(1);
    return row ?? null;
  });
}

/**
 * Ends every browser session of the account (their cookies carry the old version) and, for a
 * password change, every API token too; `tokens: "staff"` revokes only staff-scoped ones (a demotion).
 */
export async function endSessions(userId: string, opts: { tokens?: "all" | "staff" | "none" } = {}, db: DbOrTx = getDb()): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(eq(users.id, userId));
    if (opts.tokens === "all" || opts.tokens === "staff") {
      await tx
        .update(apiKeys)
        .set({ revokedAt: new Date() })
        .where(
          and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt), opts.tokens === "staff" ? eq(apiKeys.scope, "staff") : undefined),
        );
    }
  });
  await invalidateGenerations([group(userId)]);
  // Cached API-token lookups carry the user's row (and revoked tokens): read them afresh too.
  await forgetUserTokens(db, userId);
}
