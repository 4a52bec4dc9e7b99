import "server-only";
import { getDb, type Db } from "@/db/client";
import { users } from "@/db/schema";
import { audit } from "@/lib/audit";
import { AppError, pgConstraint, pgErrorCode } from "@/lib/errors";
import type { NewCustomerInput } from "@/lib/validations/dashboard";
import { phoneColumns } from "@/lib/pii";

export type CustomerOption = { id: string; name: string; phone: string | null; email: string | null; groups: string[] };

/**
 * A customer account created at the desk or on the phone, without a password: the customer can
 * claim it later by signing up with the same phone or email. Uniqueness is the database's.
 */
export async function createCustomerByStaff(input: NewCustomerInput, actorId: string, db: Db = getDb()): Promise<CustomerOption> {
  try {
    return await db.transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({ name: input.name, ...phoneColumns(input.phone), email: input.email ?? null, role: "customer", passwordHash: null })
        .returning();
      if (!user) throw new AppError("INTERNAL", "Customer was not created");
      await audit(tx, {
        actorId,
        action: "customer.created",
        entityType: "user",
        entityId: user.id,
        data: { name: user.name, by: "staff" },
      });
      return { id: user.id, name: user.name, phone: user.phone, email: user.email, groups: user.groups };
    });
  } catch (e) {
    if (pgErrorCode(e) === "23505") {
      if (pgConstraint(e) === "users_phone_hash_key") throw new AppError("PHONE_TAKEN", "customerPhoneTaken");
      throw new AppError("EMAIL_TAKEN", "customerEmailTaken");
    }
    throw e;
  }
}
