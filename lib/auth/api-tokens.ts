import "server-only";
import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { createHash, randomBytes } from "node:crypto";
import { getDb, type DbOrTx } from "@/db/client";
import { apiKeys, users, type ApiKey, type User } from "@/db/schema";
import { cachedManyInGeneration, invalidateGenerations } from "@/lib/cache";
import { AppError } from "@/lib/errors";

const sha256 = (v: string) => createHash("sha256").update(v).digest("hex");

export type TokenScope = ApiKey["scope"];

/** How long a token lives: staff tokens act on every customer's data, so they live shorter. */
export const TOKEN_TTL_S: Record<TokenScope, number> = { customer: 30 * 86_400, staff: 7 * 86_400 };

/**
 * Every API request resolves its token: what it resolves to is cached under the token's own
 * generation, started afresh when the token is revoked or its user changes (after the commit), so
 * neither is ever served stale (see cachedInGeneration), and a burst of requests — a sold-out hot
 * slot answered from the seat gate — does not touch PostgreSQL. Expiry is checked on every use.
 */
const TOKEN_CACHE_TTL_SECONDS = 300;
const tokenGroup = (hash: string) => `apikey:v2:${hash}`;

/**
 * Returns the plaintext token once; only its hash is stored. Without a scope the token gets the
 * owner's: staff for staff and admins, else customer. A customer may not hold a staff token.
 */
export async function issueApiToken(
  userId: string,
  name = "api",
  scope?: TokenScope,
): Promise<{ id: string; token: string; scope: TokenScope; expiresAt: Date }> {
  const db = getDb();
  const [owner] = await db.select({ role: users.role }).from(users).where(eq(users.id, userId)).limit(1);
  if (!owner) throw new AppError("NOT_FOUND", "userNotFound");
  const ownerScope: TokenScope = owner.role === "customer" ? "customer" : "staff";
  if (scope === "staff" && ownerScope !== "staff") throw new AppError("FORBIDDEN", "staffOnly");
  const granted = scope ?? ownerScope;
  const token = `yy_${randomBytes(32).toString("base64url")}`;
  const expiresAt = new Date(Date.now() + TOKEN_TTL_S[granted] * 1000);
  const [row] = await db
    .insert(apiKeys)
    .values({ userId, name, tokenHash: sha256(token), prefix: token.slice(0, 10), scope: granted, expiresAt })
    .returning({ id: apiKeys.id });
  if (!row) throw new Error("api key not created");
  return { id: row.id, token, scope: granted, expiresAt };
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

/** The owner's live tokens (never the token itself: only its first characters). */
export async function listApiTokens(userId: string, now = new Date()) {
  return getDb()
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      scope: apiKeys.scope,
      createdAt: apiKeys.createdAt,
      expiresAt: apiKeys.expiresAt,
      lastUsedAt: apiKeys.lastUsedAt,
    })
    .from(apiKeys)
    .where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt), gt(apiKeys.expiresAt, now)))
    .orderBy(desc(apiKeys.createdAt));
}

type Resolved = { user: User; scope: TokenScope; expiresAt: string } | null;

/**
 * The user behind `Authorization: Bearer <token>`, or null for a missing, unknown, revoked or
 * expired token. The one token lookup: the role is the owner's current one from the database
 * (cached under the token's generation, which every change of the user's row replaces), capped by
 * the token's scope, so a demoted member's staff token is a customer's at once and a
 * customer-scoped token of a staff member never acts as staff.
 */
export async function userFromBearer(authorization: string | null, now = new Date()): Promise<User | null> {
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  if (!match?.[1]) return null;
  const hash = sha256(match[1]);
  const [found] = await cachedManyInGeneration<Resolved>([{ group: tokenGroup(hash) }], TOKEN_CACHE_TTL_SECONDS, async () => {
    const [row] = await getDb()
      .select({ user: users, scope: apiKeys.scope, expiresAt: apiKeys.expiresAt })
      .from(apiKeys)
      .innerJoin(users, eq(users.id, apiKeys.userId))
      .where(and(eq(apiKeys.tokenHash, hash), isNull(apiKeys.revokedAt)))
      .limit(1);
    return [row ? { user: row.user, scope: row.scope, expiresAt: row.expiresAt.toISOString() } : null];
  });
  if (!found || new Date(found.expiresAt) <= now) return null;
  const user = revive(found.user);
  return found.scope === "customer" && user.role !== "customer" ? { ...user, role: "customer" } : user;
}
