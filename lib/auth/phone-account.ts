import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { users, type User } from "@/db/schema";
import { audit } from "@/lib/audit";
import { AppError, pgErrorCode } from "@/lib/errors";
import { withVerifiedCode, type OtpProof } from "./otp";
import { hashPassword } from "./password";
import { assertStrongPassword } from "./password-strength";
import { mergeWechatAccountInto } from "./merge-wechat-account";
import { maskPhone, phoneColumns, phoneIs } from "@/lib/pii";

/**
 * Account changes that need the number proved by an SMS code (sign-up: register-with-codes.ts). Each
 * runs in the code's transaction: when the change fails (number taken, no account) the code stays
 * unused for another try.
 */

/** Password reset by SMS code: the account of the number gets the new password. */
export async function resetPasswordWithCode(proof: OtpProof, newPassword: string, db: Db = getDb()): Promise<User> {
  assertStrongPassword(newPassword, [proof.phone]);
  const passwordHash = await hashPassword(newPassword);
  return withVerifiedCode(
    proof,
    async (tx, now, phone) => {
      const [user] = await tx.update(users).set({ passwordHash, phoneVerifiedAt: now }).where(phoneIs(phone)).returning();
      if (!user) throw new AppError("NOT_FOUND", "noAccountForPhone");
      await audit(tx, {
        actorId: user.id,
        action: "user.password_reset",
        entityType: "user",
        entityId: user.id,
        data: { via: "sms_code" },
      });
      return user;
    },
    db,
  );
}

/** Moves an account to a new number, proved by a code texted to that number. */
export async function changePhoneWithCode(userId: string, proof: OtpProof, db: Db = getDb()): Promise<User> {
  try {
    return await withVerifiedCode(
      proof,
      async (tx, now, phone) => {
        const [before] = await tx.select().from(users).where(eq(users.id, userId)).limit(1);
        // The number is another customer's: a WeChat-only customer becomes that customer (merge-wechat-account.ts).
        const [owner] = await tx.select({ id: users.id }).from(users).where(phoneIs(phone)).limit(1);
        if (before && owner && owner.id !== userId) return mergeWechatAccountInto(tx, before, owner.id);
        const [user] = await tx
          .update(users)
          .set({ ...phoneColumns(phone), phoneVerifiedAt: now })
          .where(and(eq(users.id, userId)))
          .returning();
        if (!user) throw new AppError("NOT_FOUND", "accountNotFound");
        await audit(tx, {
          actorId: userId,
          action: "user.phone_changed",
          entityType: "user",
          entityId: userId,
          data: { from: before?.phone ? maskPhone(before.phone) : null, to: maskPhone(phone) },
        });
        return user;
      },
      db,
    );
  } catch (e) {
    if (pgErrorCode(e) === "23505") throw new AppError("PHONE_TAKEN", "phoneTakenOther");
    throw e;
  }
}
