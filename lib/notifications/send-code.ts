import "server-only";
import { and, eq, gt, sql } from "drizzle-orm";
import { randomInt } from "node:crypto";
import { getDb, type Db } from "@/db/client";
import { otpCodes, users } from "@/db/schema";
import { hashCode, normalised, rateLimited } from "@/lib/auth/otp";
import { OTP_MAX_PER_DAY, OTP_MAX_PER_HOUR, OTP_RESEND_AFTER_SEC, OTP_TTL_SEC, otpRequestLimits } from "@/lib/auth/otp-limits";
import { AppError } from "@/lib/errors";
import { assertUnderLimits, countFailure } from "@/lib/rate-limit";
import { enqueueVerificationCode } from "./verification-code";
import type { Locale } from "@/lib/i18n/config";
import { phoneHash, phoneIs } from "@/lib/pii";

// Asking for a code lives with the outbox it writes to (notifications → auth, never back); checking one is lib/auth/otp.

export type OtpRequest = { phone: string; ip: string; locale?: Locale; now?: Date };
export type OtpSent = { expiresInSec: number; resendAfterSec: number };

/**
 * Creates a code for a (normalised) number and writes its SMS into the outbox, in one transaction.
 * The per-number limits are counted from the code rows under a transaction-scoped advisory lock
 * on the number, so two parallel requests cannot both pass the one-a-minute check.
 */
export async function requestOtp(request: OtpRequest, db: Db = getDb()): Promise<OtpSent> {
  const input = { ...request, phone: normalised(request.phone) };
  const now = input.now ?? new Date();
  const limits = otpRequestLimits(input.ip);
  await assertUnderLimits(limits);
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  const expiresAt = new Date(now.getTime() + OTP_TTL_SEC * 1000);
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`otp:${input.phone}`}))`);
    const dayAgo = new Date(now.getTime() - 86_400_000);
    const [counts] = await tx
      .select({
        last: sql<string | null>`max(${otpCodes.createdAt})::text`,
        hour: sql<number>`count(*) filter (where ${otpCodes.createdAt} > ${new Date(now.getTime() - 3600_000).toISOString()}::timestamptz)::int`,
        day: sql<number>`count(*)::int`,
      })
      .from(otpCodes)
      .where(and(eq(otpCodes.phoneHash, phoneHash(input.phone)), gt(otpCodes.createdAt, dayAgo)));
    const sinceLast = counts?.last ? (now.getTime() - new Date(counts.last).getTime()) / 1000 : Infinity;
    if (sinceLast < OTP_RESEND_AFTER_SEC) {
      throw rateLimited("otpResendWait", OTP_RESEND_AFTER_SEC - sinceLast);
    }
    if ((counts?.hour ?? 0) >= OTP_MAX_PER_HOUR) throw rateLimited("otpHourLimit", 3600);
    if ((counts?.day ?? 0) >= OTP_MAX_PER_DAY) throw rateLimited("otpDayLimit", 86_400);
    const [row] = await tx
      .insert(otpCodes)
      .values({
        phoneHash: phoneHash(input.phone),
        codeHash: hashCode(input.phone, code),
        expiresAt,
        requestedIp: input.ip,
        createdAt: now,
      })
      .returning({ id: otpCodes.id });
    if (!row) throw new AppError("INTERNAL", "code not created");
    const [owner] = await tx.select({ id: users.id, locale: users.locale }).from(users).where(phoneIs(input.phone)).limit(1);
    const locale = owner?.locale === "en" ? "en" : (input.locale ?? "zh-CN");
    await enqueueVerificationCode(tx, { codeId: row.id, phone: input.phone, code, expiresAt, userId: owner?.id ?? null, locale });
  });
  await countFailure(limits);
  return { expiresInSec: OTP_TTL_SEC, resendAfterSec: OTP_RESEND_AFTER_SEC };
}
