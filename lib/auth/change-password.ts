import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { audit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { hashPassword, verifyPassword } from "./password";
import { assertStrongPassword } from "./password-strength";
import { endSessions } from "./session-state";

/** A new password ends every session and revokes every API token of the account. */
export async function changePassword(userId: string, current: string, next: string): Promise<void> {
  const db = getDb();
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user?.passwordHash || !(await verifyPassword(current, user.passwordHash))) {
    throw new AppError("INVALID_CREDENTIALS", "currentPasswordWrong");
  }
  assertStrongPassword(next, [user.name, user.email, user.phone], "newPassword");
  const passwordHash = await hashPassword(next);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, userId));
    await audit(tx, { actorId: userId, action: "user.password_changed", entityType: "user", entityId: userId });
  });
  await endSessions(userId, { tokens: "all" });
}
