import "server-only";
import { getDb, type DbOrTx } from "@/db/client";
import { users, type User } from "@/db/schema";
import { audit } from "@/lib/audit";
import { AppError, pgConstraint, pgErrorCode } from "@/lib/errors";
import type { RegisterInput } from "@/lib/validations/auth";
import { hashPassword } from "./password";
import { assertStrongPassword } from "./password-strength";
import { phoneColumns } from "@/lib/pii";
import { recordConsent } from "@/lib/pii/consent";

export type PublicUser = Pick<User, "id" | "name" | "email" | "phone" | "role" | "locale">;

export const toPublicUser = (u: User): PublicUser => ({
  id: u.id,
  name: u.name,
  email: u.email,
  phone: u.phone,
  role: u.role,
  locale: u.locale,
});

/** Creates a customer account. Uniqueness is left to the database's unique indexes. */
export async function registerUser(input: RegisterInput, db: DbOrTx = getDb()): Promise<PublicUser> {
  assertStrongPassword(input.password, [input.name, input.email, input.phone]);
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({
          name: input.name,
          email: input.email ?? null,
          ...phoneColumns(input.phone),
          passwordHash,
          role: "customer",
          locale: input.locale ?? "zh-CN",
        })
        .returning();
      if (!user) throw new AppError("INTERNAL", "User was not created");
      await audit(tx, { actorId: user.id, action: "user.registered", entityType: "user", entityId: user.id });
      if (input.privacyConsent) await recordConsent(tx, user.id);
      return toPublicUser(user);
    });
  } catch (e) {
    if (pgErrorCode(e) === "23505") {
      const constraint = pgConstraint(e);
      if (constraint === "users_phone_hash_key") throw new AppError("PHONE_TAKEN", "phoneRegistered");
      throw new AppError("EMAIL_TAKEN", "emailRegistered");
    }
    throw e;
  }
}
