import "server-only";
import type { DbOrTx } from "@/db/client";
import { audit } from "@/lib/audit";

/**
 * A staff member opened a record that shows personal data in full (the unmasked phone, the booking
 * form's answers): one audit entry "pii.viewed" with who, which record and what was shown.
 * Called by the detail page and API that reveal it, after the record was found.
 */
export async function recordPiiView(
  db: DbOrTx,
  view: { viewerId: string; entityType: "booking" | "user"; entityId: string; fields: string[]; via: "dashboard" | "api" },
): Promise<void> {
  if (view.fields.length === 0) return;
  await audit(db, {
    actorId: view.viewerId,
    action: "pii.viewed",
    entityType: view.entityType,
    entityId: view.entityId,
    data: { fields: view.fields, via: view.via },
  });
}

/** Which personal fields a record holds (and so reveals when opened). */
export function revealedFields(record: { phone?: string | null; fields?: Record<string, unknown> | null }): string[] {
  return [record.phone ? "phone" : null, record.fields && Object.keys(record.fields).length > 0 ? "fields" : null].filter(
    (f): f is string => f !== null,
  );
}
