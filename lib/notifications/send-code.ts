import "server-only";
import { and, eq, gt, sql } from "drizzle-orm";
import { randomBytes, randomInt } from "node:crypto";
import { getDb, type Db, type DbOrTx } from "@/db/client";
import { otpCodes, users } from "@/db/schema";
import { emailSubject, hashCode, normalised, phoneSubject, rateLimited, type CodeSubject } from "@/lib/auth/otp";
import {
  EMAIL_CODE_TTL_SEC,
  OTP_MAX_PER_DAY,
  OTP_MAX_PER_HOUR,
  OTP_RESEND_AFTER_SEC,
  OTP_TTL_SEC,
  otpRequestLimits,
} from "@/lib/auth/otp-limits";
import { assertStrongPassword } from "@/lib/auth/password-strength";
import { AppError } from "@/lib/errors";
import type { RegisterInput } from "@/lib/validations/auth";
import { assertUnderLimits, countFailure } from "@/lib/rate-limit";
import { enqueueSignUpEmail, enqueueVerificationCode } from "./verification-code";
import type { Locale } from "@/lib/i18n/config";
import { phoneIs } from "@/lib/pii";

// Asking for a code lives with the outbox it writes to (notifications → auth, never back); checking one is lib/auth/otp.

export type OtpRequest = { phone: string; ip: string; locale?: Locale; now?: Date };
export type OtpSent = { expiresInSec: number; resendAfterSec: number };

/**
 * The per-subject limits (one a minute, five an hour, ten a day), counted from the code rows under a
 * transaction-scoped advisory lock on the subject, so two parallel requests cannot both pass the
 * one-a-minute check; then the new code's row. `codeHash` is what the row keeps.
 */
async function insertCode(tx: DbOrTx, subject: CodeSubject, codeHash: string, ip: string, now: Date, ttlSec: number) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`otp:${subject.hash}`}))`);
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const [counts] = await tx
    .select({
      last: sql<string | null>`max(${otpCodes.createdAt})::text`,
      hour: sql<number>`count(*) filter (where ${otpCodes.createdAt} > ${new Date(now.getTime() - 3600_000).toISOString()}::timestamptz)::int`,
      day: sql<number>`count(*)::int`,
    })
    .from(otpCodes)
    .where(and(eq(otpCodes.phoneHash, subject.hash), gt(otpCodes.createdAt, dayAgo)));
  const sinceLast = counts?.last ? (now.getTime() - new Date(counts.last).getTime()) / 1000 : Infinity;
  if (sinceLast < OTP_RESEND_AFTER_SEC) {
    throw rateLimited("otpResendWait", OTP_RESEND_AFTER_SEC - sinceLast);
  }
  if ((counts?.hour ?? 0) >= OTP_MAX_PER_HOUR) throw rateLimited("otpHourLimit", 3600);
  if ((counts?.day ?? 0) >= OTP_MAX_PER_DAY) throw rateLimited("otpDayLimit", 86_400);
  const expiresAt = new Date(now.getTime() + ttlSec * 1000);
  const [row] = await tx
    .insert(otpCodes)
    .values({ phoneHash: subject.hash, codeHash, expiresAt, requestedIp: ip, createdAt: now })
    .returning({ id: otpCodes.id });
  if (!row) throw new AppError("INTERNAL", "code not created");
  return { id: row.id, expiresAt };
}

const newCode = () => String(randomInt(0, 1_000_000)).padStart(6, "0");

/** Creates a code for a (normalised) number and writes its SMS into the outbox, in one transaction. */
export async function requestOtp(request: OtpRequest, db: Db = getDb()): Promise<OtpSent> {
  const input = { ...request, phone: normalised(request.phone) };
  const now = input.now ?? new Date();
  const limits = otpRequestLimits(input.ip);
  await assertUnderLimits(limits);
  const code = newCode();
  await db.transaction(async (tx) => {
    const row = await insertCode(tx, phoneSubject(input.phone), hashCode(input.phone, code), input.ip, now, OTP_TTL_SEC);
    const [owner] = await tx.select({ id: users.id, locale: users.locale }).from(users).where(phoneIs(input.phone)).limit(1);
    const locale = owner?.locale === "en" ? "en" : (input.locale ?? "zh-CN");
    await enqueueVerificationCode(tx, {
      codeId: row.id,
      phone: input.phone,
      code,
      expiresAt: row.expiresAt,
      userId: owner?.id ?? null,
      locale,
    });
  });
  await countFailure(limits);
  return { expiresInSec: OTP_TTL_SEC, resendAfterSec: OTP_RESEND_AFTER_SEC };
}

export type EmailCodeRequest = { email: string; ip: string; locale?: Locale; now?: Date };

/**
 * Sign-up with an e-mail address, step one: the same answer and the same limits whether or not the
 * address has an account, so the answer tells nobody. A free address gets a code by mail (the
 * second step, registerWithCodes, creates the account with it). A taken one gets a mail saying that
 * someone tried to sign up with it (sign in, or reset the password) and no code: its row holds a
 * hash no six-digit code matches, so the second step answers "wrong code" like any wrong guess.
 */
export async function requestSignUpEmailCode(request: EmailCodeRequest, db: Db = getDb()): Promise<OtpSent> {
  const email = request.email.trim().toLowerCase();
  const now = request.now ?? new Date();
  const limits = otpRequestLimits(request.ip);
  await assertUnderLimits(limits);
  const subject = emailSubject(email);
  await db.transaction(async (tx) => {
    const [owner] = await tx.select({ id: users.id, locale: users.locale }).from(users).where(eq(users.email, email)).limit(1);
    const code = owner ? null : newCode();
    const codeHash = hashCode(subject.key, code ?? randomBytes(32).toString("base64url"));
    const row = await insertCode(tx, subject, codeHash, request.ip, now, EMAIL_CODE_TTL_SEC);
    const locale = owner?.locale === "en" ? "en" : (request.locale ?? "zh-CN");
    await enqueueSignUpEmail(tx, { codeId: row.id, email, code, expiresAt: row.expiresAt, userId: owner?.id ?? null, locale });
  });
  await countFailure(limits);
  return { expiresInSec: EMAIL_CODE_TTL_SEC, resendAfterSec: OTP_RESEND_AFTER_SEC };
}

/**
 * POST /api/v1/auth/register and the sign-up page with an e-mail address and no code yet: the input
 * is checked as the account would be (the same for any address), then the code goes out by mail.
 */
export async function startEmailSignUp(input: RegisterInput & { email: string }, ip: string, db: Db = getDb()): Promise<OtpSent> {
  assertStrongPassword(input.password, [input.name, input.email, input.phone]);
  return requestSignUpEmailCode({ email: input.email, locale: input.locale, ip }, db);
}
