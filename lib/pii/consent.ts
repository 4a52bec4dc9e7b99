import "server-only";
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { users } from "@/db/schema";
import { audit } from "@/lib/audit";
import { AppError } from "@/lib/errors";

/**
 * The privacy policy in force (app/(site)/privacy). Change it with the page's text: a person who
 * accepted an older version is asked again at their next sign-up or booking form.
 */
export const PRIVACY_POLICY_VERSION = "2026-12-01";

/**
 * Records that the person accepted the policy (PIPL 个人信息保护法 consent): the version and the
 * time on their row, and an audit entry "privacy.consented" so earlier consents stay on record.
 */
export async function recordConsent(db: DbOrTx, userId: string, now = new Date(), version = PRIVACY_POLICY_VERSION): Promise<void> {
  await db.update(users).set({ privacyConsentVersion: version, privacyConsentAt: now }).where(eq(users.id, userId));
  await audit(db, { actorId: userId, action: "privacy.consented", entityType: "user", entityId: userId, data: { version } });
}

export const hasCurrentConsent = (user: { privacyConsentVersion: string | null }) => user.privacyConsentVersion === PRIVACY_POLICY_VERSION;

/**
 * An account would be created (first SMS-code or WeChat sign-in) and the form did not accept the
 * policy. Only someone who proved the number or the WeChat identity gets this answer, so it tells
 * nobody else whether the account exists; the caller's transaction rolls back (the code stays unused).
 */
export const consentRequired = () =>
  new AppError(
    "VALIDATION_FAILED",
    "privacyConsentRequired",
    { fieldErrors: { privacyConsent: ["privacyConsentRequired"] } },
    { field: "privacyConsent" },
  );

/** A sign-in that accepted the policy: recorded when the account has no consent to the version in force. */
export async function recordConsentIfMissing(db: DbOrTx, user: { id: string; privacyConsentVersion: string | null }, now = new Date()) {
  if (!hasCurrentConsent(user)) await recordConsent(db, user.id, now);
}
