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
import { emailHash, phoneColumns, phoneHash, phoneIs } from "@/lib/pii";
import { recordConsentIfMissing } from "@/lib/pii/consent";

/** What a code is kept and hashed under: a phone number, or an e-mail address (sign-up). */
export type CodeSubject = { hash: string; key: string };
export const phoneSubject = (phone: string): CodeSubject => ({ hash: phoneHash(phone), key: phone });
export function emailSubject(email: string): CodeSubject {
  const address = email.trim().toLowerCase();
  return { hash: emailHash(address), key: `email:${address}` };
}

/** Keyed so a leaked table cannot be reversed by hashing the million possible codes. */
export const hashCode = (subjectKey: string, code: string) =>
  createHmac("sha256", authSecret()).update(`otp:${subjectKey}:${code}`).digest("hex");

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
export type CodeProof = { subject: CodeSubject; code: string };

type Checked = { kind: "ok"; id: string } | { kind: "wrong" } | { kind: "burned" };

/** The subject's latest code against the given one, its row locked; a wrong one counts a try. */
async function checkLatest(tx: DbOrTx, proof: CodeProof, now: Date): Promise<Checked> {
  const [row] = await tx
    .select()
    .from(otpCodes)
    .where(eq(otpCodes.phoneHash, proof.subject.hash))
    .orderBy(desc(otpCodes.createdAt))
    .limit(1)
    .for("update");
  if (!row || row.consumedAt || row.expiresAt.getTime() <= now.getTime()) return { kind: "wrong" };
  if (row.attempts >= OTP_MAX_TRIES) return { kind: "burned" };
  if (!sameHash(row.codeHash, hashCode(proof.subject.key, proof.code))) {
    const attempts = row.attempts + 1;
    await tx.update(otpCodes).set({ attempts }).where(eq(otpCodes.id, row.id));
    return { kind: attempts >= OTP_MAX_TRIES ? "burned" : "wrong" };
  }
  return { kind: "ok", id: row.id };
}

/**
 * Checks each subject's latest code and, when all match, marks them used and runs `then` in the
 * same transaction (a failure there rolls the use back). The rows are locked, so of two parallel
 * requests with the same code exactly one gets it. A wrong code counts a try (committed even
 * though the call then fails); the fifth wrong try burns the code: 429 until a new one is asked for.
 * Wrong, used, expired or superseded codes all answer the same 401.
 */
export async function withVerifiedCodes<T>(
  proofs: CodeProof[],
  ip: string,
  now: Date,
  then: (tx: DbOrTx, now: Date) => Promise<T>,
  db: Db = getDb(),
): Promise<T> {
  const limits = otpVerifyLimits(ip);
  await assertUnderLimits(limits);
  const result = await db.transaction(async (tx): Promise<{ checked: Checked["kind"]; value?: T }> => {
    const used: string[] = [];
    for (const proof of proofs) {
      const checked = await checkLatest(tx, proof, now);
      if (checked.kind !== "ok") return { checked: checked.kind };
      used.push(checked.id);
    }
    for (const id of used) await tx.update(otpCodes).set({ consumedAt: now }).where(eq(otpCodes.id, id));
    return { checked: "ok", value: await then(tx, now) };
  });
  if (result.checked === "burned") {
    await countFailure(limits);
    throw rateLimited("otpTooManyTries", OTP_RESEND_AFTER_SEC);
  }
  if (result.checked === "wrong") {
    await countFailure(limits);
    throw new AppError("INVALID_CREDENTIALS", "otpWrongCode");
  }
  return result.value as T;
}

/** withVerifiedCodes for one phone number and its SMS code; `then` gets the number normalised. */
export async function withVerifiedCode<T>(
  given: OtpProof,
  then: (tx: DbOrTx, now: Date, phone: string) => Promise<T>,
  db: Db = getDb(),
): Promise<T> {
  const phone = normalised(given.phone);
  const proof = { subject: phoneSubject(phone), code: given.code };
  return withVerifiedCodes([proof], given.ip, given.now ?? new Date(), (tx, now) => then(tx, now, phone), db);
}

/**
 * The account of a verified number, created as a customer on first use (which needs the privacy
 * policy accepted: `consented`); marks the number verified, and records a consent the account lacks.
 */
export async function accountForVerifiedPhone(
  tx: DbOrTx,
  phone: string,
  now: Date,
  locale: Locale = "zh-CN",
  consented = false,
): Promise<{ user: User; created: boolean }> {
  const inserted = await insertCustomerOnce(
    tx,
    { name: `用户${phone.slice(-4)}`, ...phoneColumns(phone), phoneVerifiedAt: now, locale },
    users.phoneHash,
    "sms_code",
    consented,
  );
  if (inserted) return { user: inserted, created: true };
  const [user] = await tx
    .update(users)
    .set({ phoneVerifiedAt: sql`coalesce(${users.phoneVerifiedAt}, ${now.toISOString()}::timestamptz)` })
    .where(phoneIs(phone))
    .returning();
  if (!user) throw new AppError("INTERNAL", "account for verified phone not found");
  if (consented) await recordConsentIfMissing(tx, user, now);
  return { user, created: false };
}

/**
 * Phone + code sign-in (REST and the sign-in page): the account, created on first use when the
 * caller accepted the privacy policy (`privacyConsent`; else 400 and the code stays unused).
 */
export function signInWithCode(proof: OtpProof & { locale?: Locale; privacyConsent?: boolean }, db: Db = getDb()) {
  return withVerifiedCode(
    proof,
    (tx, now, phone) => accountForVerifiedPhone(tx, phone, now, proof.locale, proof.privacyConsent === true),
    db,
  );
}
