import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { audit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import type { Role } from "./config";
import { endSessions } from "./session-state";
import { toPublicUser, type PublicUser } from "./register-user";

/**
 * An admin changes an account's role. Any change ends the account's sessions (the next request
 * signs in again with the new role); a demotion from staff also revokes its staff-scoped tokens.
 */
export async function setUserRole(input: { userId: string; role: Role; actor: { id: string; role: Role } }): Promise<PublicUser> {
  if (input.actor.role !== "admin") throw new AppError("FORBIDDEN", "adminsOnly");
  if (input.userId === input.actor.id) throw new AppError("VALIDATION_FAILED", "cannotChangeOwnRole");
  const db = getDb();
  const { before, after } = await db.transaction(async (tx) => {
    const [before] = await tx.select().from(users).where(eq(users.id, input.userId)).limit(1).for("update");
    if (!before) throw new AppError("NOT_FOUND", "userNotFound");
    const [after] = await tx.update(users).set({ role: input.role }).where(eq(users.id, input.userId)).returning();
    if (!after) throw new AppError("NOT_FOUND", "userNotFound");
    await audit(tx, {
      actorId: input.actor.id,
      action: "user.role_changed",
      entityType: "user",
      entityId: input.userId,
      data: { from: before.role, to: input.role },
    });
    return { before, after };
  });
  if (before.role !== after.role) await endSessions(input.userId, { tokens: after.role === "customer" ? "staff" : "none" });
  return toPublicUser(after);
}
