import "server-only";
import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { createHash, randomBytes } from "node:crypto";
import { getDb } from "@/db/client";
import { apiKeys, users, type ApiKey, type User } from "@/db/schema";
import { AppError } from "@/lib/errors";

const sha256 = (v: string) => createHash("sha256").update(v).digest("hex");

export type TokenScope = ApiKey["scope"];

/** How long a token lives: staff tokens act on every customer's data, so they live shorter. */
export const TOKEN_TTL_S: Record<TokenScope, number> = { customer: 30 * 86_400, staff: 7 * 86_400 };

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
  if (!owner) throw new AppError("NOT_FOUND", "用户不存在 / User not found");
  const ownerScope: TokenScope = owner.role === "customer" ? "customer" : "staff";
  if (scope === "staff" && ownerScope !== "staff") throw new AppError("FORBIDDEN", "仅限工作人员 / Staff only");
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
    .returning({ id: apiKeys.id });
  return rows.length > 0;
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

/**
 * The user behind `Authorization: Bearer <token>`, or null for a missing, unknown, revoked or
 * expired token. The one token lookup (a cache may wrap it): the role is the owner's current one
 * from the database, capped by the token's scope, so a demoted member's staff token is a
 * customer's at once and a customer-scoped token of a staff member never acts as staff.
 */
export async function userFromBearer(authorization: string | null): Promise<User | null> {
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  if (!match?.[1]) return null;
  const [row] = await getDb()
    .select({ user: users, scope: apiKeys.scope })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(and(eq(apiKeys.tokenHash, sha256(match[1])), isNull(apiKeys.revokedAt), gt(apiKeys.expiresAt, new Date())))
    .limit(1);
  if (!row) return null;
  return row.scope === "customer" && row.user.role !== "customer" ? { ...row.user, role: "customer" } : row.user;
}
