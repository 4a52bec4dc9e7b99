import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users, type User } from "@/db/schema";
import { audit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { registerSchema } from "@/lib/validations/auth";
import { hashPassword } from "./password";
import { assertStrongPassword } from "./password-strength";
import { phoneColumns } from "@/lib/pii";

/**
 * The first admin of a production install (`npm run admin:create`): a new account with role admin,
 * or, for an existing email, that account promoted (its password is left as it is). Audited.
 */
export async function createAdmin(db: Db, input: { email: string; name: string; password: string; phone?: string }): Promise<User> {
  const parsed = registerSchema.safeParse(input);
  if (!parsed.success) throw new AppError("VALIDATION_FAILED", parsed.error.issues.map((i) => i.message).join("; "));
  const email = parsed.data.email!;
  assertStrongPassword(parsed.data.password, [parsed.data.name, email, parsed.data.phone]);
  const passwordHash = await hashPassword(parsed.data.password);
  return db.transaction(async (tx) => {
    const [existing] = await tx.select().from(users).where(eq(users.email, email)).limit(1).for("update");
    const [admin] = existing
      ? await tx.update(users).set({ role: "admin" }).where(eq(users.id, existing.id)).returning()
      : await tx
          .insert(users)
          .values({ email, name: parsed.data.name, ...phoneColumns(parsed.data.phone), passwordHash, role: "admin" })
          .returning();
    if (!admin) throw new AppError("INTERNAL", "admin not created");
    await audit(tx, {
      actorId: admin.id,
      action: existing ? "user.promoted_admin" : "user.admin_created",
      entityType: "user",
      entityId: admin.id,
    });
    return admin;
  });
}
