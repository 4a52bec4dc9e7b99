import "server-only";
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { users } from "@/db/schema";
import { audit } from "@/lib/audit";

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
