import "server-only";
import { eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { users } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { RegisterInput } from "@/lib/validations/auth";
import { emailSubject, normalised, phoneSubject, withVerifiedCodes, type CodeProof } from "./otp";
import { registerUser, type PublicUser } from "./register-user";

export type SignUpCodes = { email?: string; phone?: string };

const codeRequired = (field: "emailCode" | "code", key: string) =>
  new AppError("VALIDATION_FAILED", key, { fieldErrors: { [field]: [key] } }, { field });

/**
 * Sign-up, the step that creates the account: every contact given is proved by its code — the
 * e-mail address by the code mailed to it (requestSignUpEmailCode), the phone number by the code
 * texted to it — in the transaction that inserts the account, so nobody registers an address or a
 * number that is not theirs. When the insert fails (taken meanwhile) the codes stay unused.
 */
export async function registerWithCodes(input: RegisterInput, codes: SignUpCodes, ip: string, db: Db = getDb()): Promise<PublicUser> {
  const proofs: CodeProof[] = [];
  const phone = input.phone === undefined ? undefined : normalised(input.phone);
  if (input.email !== undefined) {
    if (codes.email === undefined) throw codeRequired("emailCode", "emailCodeRequired");
    proofs.push({ subject: emailSubject(input.email), code: codes.email });
  }
  if (phone !== undefined) {
    if (codes.phone === undefined) throw codeRequired("code", "otpCodeRequiredWithPhone");
    proofs.push({ subject: phoneSubject(phone), code: codes.phone });
  }
  if (proofs.length === 0) throw new AppError("VALIDATION_FAILED", "emailOrPhone");
  return withVerifiedCodes(
    proofs,
    ip,
    new Date(),
    async (tx, now) => {
      const user = await registerUser({ ...input, phone }, tx);
      await tx
        .update(users)
        .set({ ...(input.email !== undefined ? { emailVerified: now } : {}), ...(phone !== undefined ? { phoneVerifiedAt: now } : {}) })
        .where(eq(users.id, user.id));
      return user;
    },
    db,
  );
}
