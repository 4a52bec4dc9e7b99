import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { createHash, randomBytes } from "node:crypto";
import { getDb, type DbOrTx } from "@/db/client";
import { apiKeys, users, type User } from "@/db/schema";
import { cachedManyInGeneration, invalidateGenerations } from "@/lib/cache";

const sha256 = (v: string) => createHash("sha256").update(v).digest("hex");

/**
 * Every API request resolves its token: the user behind a token is cached under the token's own
 * generation, started afresh when the token is revoked or its user changes (after the commit), so
 * neither is ever served stale (see cachedInGeneration), and a burst of requests — a sold-out hot
 * slot answered from the seat gate — does not touch PostgreSQL.
 */
const TOKEN_TTL_SECONDS = 300;
const tokenGroup = (hash: string) => `apikey:v1:${hash}`;

/** Returns the plaintext token once; only its hash is stored. */
export async function issueApiToken(userId: string, name = "api"): Promise<{ id: string; token: string }> {
  const token = `yy_${randomBytes(32).toString("base64url")}`;
  const [row] = await getDb()
    .insert(apiKeys)
    .values({ userId, name, tokenHash: sha256(token), prefix: token.slice(0, 10) })
    .returning({ id: apiKeys.id });
  if (!row) throw new Error("api key not created");
  return { id: row.id, token };
}

export async function revokeApiToken(userId: string, keyId: string): Promise<boolean> {
  const rows = await getDb()
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
    .returning({ tokenHash: apiKeys.tokenHash });
  await invalidateGenerations(rows.map((r) => tokenGroup(r.tokenHash)));
  return rows.length > 0;
}

/** Call after a change to a user's row commits: the next request with any of their tokens reads it afresh. */
export async function forgetUserTokens(db: DbOrTx, userId: string): Promise<void> {
  const rows = await db.select({ tokenHash: apiKeys.tokenHash }).from(apiKeys).where(eq(apiKeys.userId, userId));
  await invalidateGenerations(rows.map((r) => tokenGroup(r.tokenHash)));
}

/** A user row read back from JSON: its timestamps become Dates again. */
function revive(u: User): User {
  return { ...u, createdAt: new Date(u.createdAt), emailVerified: u.emailVerified ? new Date(u.emailVerified) : null };
}

/** The user behind `Authorization: Bearer <token>`, or null for a missing, unknown or revoked token. */
export async function userFromBearer(authorization: string | null): Promise<User | null> {
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  if (!match?.[1]) return null;
  const hash = sha256(match[1]);
  const [user] = await cachedManyInGeneration([{ group: tokenGroup(hash) }], TOKEN_TTL_SECONDS, async () => {
    const [row] = await getDb()
      .select({ user: users })
      .from(apiKeys)
      .innerJoin(users, eq(users.id, apiKeys.userId))
      .where(and(eq(apiKeys.tokenHash, hash), isNull(apiKeys.revokedAt)))
      .limit(1);
    return [row?.user ?? null];
  });
  return user ? revive(user) : null;
}
