import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { createHash, randomBytes } from "node:crypto";
import { getDb } from "@/db/client";
import { apiKeys, users, type User } from "@/db/schema";

const sha256 = (v: string) => createHash("sha256").update(v).digest("hex");

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
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}

/** The user behind `Authorization: Bearer <token>`, or null for a missing, unknown or revoked token. */
export async function userFromBearer(authorization: string | null): Promise<User | null> {
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  if (!match?.[1]) return null;
  const [row] = await getDb()
    .select({ user: users })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(and(eq(apiKeys.tokenHash, sha256(match[1])), isNull(apiKeys.revokedAt)))
    .limit(1);
  return row?.user ?? null;
}
