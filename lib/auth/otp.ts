import "server-only";
import { desc, eq, sql } from "drizzle-orm";
import { createHmac, timingSafeEqual } from "node:crypto";
import { getDb, type Db, type DbOrTx } from "@/db/client";
import { otpCodes, users, type User } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { normalizePhone, PHONE_MESSAGE } from "@/lib/validations/phone";
import { assertUnderLimits, countFailure } from "@/lib/rate-limit";
import { insertCustomerOnce } from "./customer-account";
import { authSecret } from "./secret";
import { OTP_MAX_TRIES, OTP_RESEND_AFTER_SEC, otpVerifyLimits } from "./otp-limits";
import type { Locale } from "@/lib/i18n/config";
import { phoneColumns, phoneHash, phoneIs } from "@/lib/pii";

/** Keyed so a leaked table cannot be reversed by hashing the million possible codes. */
export const hashCode = (phone: string, code: string) => createHmac("sha256", authSecret()).update(`otp:${phone}:${code}`).digest("hex");

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && timingSafeEqual(x, y);
}

export function normalised(raw: string): string {
  const phone = normalizePhone(raw);
  if (!phone) throw new AppError("VALIDATION_FAILED", PHONE_MESSAGE);
  return phone;
}

export const rateLimited = (message: string, retryAfterSeconds: number) =>
  new AppError("RATE_LIMITED", message, { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)) });

export type OtpProof = { phone: string; code: string; ip: string; now?: Date };

type Checked = { kind: "ok" } | { kind: "wrong" } | { kind: "burned" };

/**
 * Checks the number's latest code and, when it matches, marks it used and runs `then` in the same
 * transaction (a failure there rolls the use back). The row is locked, so of two parallel
 * requests with the same code exactly one gets it. A wrong code counts a try (committed even
 * though the call then fails); the fifth wrong try burns the code: 429 until a new one is asked for.
 * Wrong, used, expired or superseded codes all answer the same 401.
 */
export async function withVerifiedCode<T>(
  given: OtpProof,
  then: (tx: DbOrTx, now: Date, phone: string) => Promise<T>,
  db: Db = getDb(),
): Promise<T> {
  const proof = { ...given, phone: normalised(given.phone) };
  const now = proof.now ?? new Date();
  const limits = otpVerifyLimits(proof.ip);
  await assertUnderLimits(limits);
  const result = await db.transaction(async (tx): Promise<{ checked: Checked; value?: T }> => {
    const [row] = await tx
      .select()
      .from(otpCodes)
      .where(eq(otpCodes.phoneHash, phoneHash(proof.phone)))
      .orderBy(desc(otpCodes.createdAt))
      .limit(1)
      .for("update");
    if (!row || row.consumedAt || row.expiresAt.getTime() <= now.getTime()) return { checked: { kind: "wrong" } };
    if (row.attempts >= OTP_MAX_TRIES) return { checked: { kind: "burned" } };
    if (!sameHash(row.codeHash, hashCode(proof.phone, proof.code))) {
      const attempts = row.attempts + 1;
      await tx.update(otpCodes).set({ attempts }).where(eq(otpCodes.id, row.id));
      return { checked: { kind: attempts >= OTP_MAX_TRIES ? "burned" : "wrong" } };
    }
    await tx.update(otpCodes).set({ consumedAt: now }).where(eq(otpCodes.id, row.id));
    return { checked: { kind: "ok" }, value: await then(tx, now, proof.phone) };
  });
  if (result.checked.kind === "burned") {
    await countFailure(limits);
    throw rateLimited("otpTooManyTries", OTP_RESEND_AFTER_SEC);
  }
  if (result.checked.kind === "wrong") {
    await countFailure(limits);
    throw new AppError("INVALID_CREDENTIALS", "otpWrongCode");
  }
  return result.value as T;
}

/** The account of a verified number, created as a customer on first use; marks the number verified. */
export async function accountForVerifiedPhone(
  tx: DbOrTx,
  phone: string,
  now: Date,
  locale: Locale = "zh-CN",
): Promise<{ user: User; created: boolean }> {
  const inserted = await insertCustomerOnce(
    tx,
    { name: `用户${phone.slice(-4)}`, ...phoneColumns(phone), phoneVerifiedAt: now, locale },
    users.phoneHash,
    "sms_code",
  );
  if (inserted) return { user: inserted, created: true };
  const [user] = await tx
    .update(users)
    .set({ phoneVerifiedAt: sql`coalesce(${users.phoneVerifiedAt}, ${now.toISOString()}::timestamptz)` })
    .where(phoneIs(phone))
    .returning();
  if (!user) throw new AppError("INTERNAL", "account for verified phone not found");
  return { user, created: false };
}

/** Phone + code sign-in (REST and the sign-in page): the account, created on first use. */
export function signInWithCode(proof: OtpProof & { locale?: Locale }, db: Db = getDb()) {
  return withVerifiedCode(proof, (tx, now, phone) => accountForVerifiedPhone(tx, phone, now, proof.locale), db);
}
