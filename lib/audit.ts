import "server-only";
import type { DbOrTx } from "@/db/client";
import { auditLog } from "@/db/schema";

export type AuditInput = {
  actorId?: string | null;
  actorLabel?: string;
  action: string;
  entityType: string;
  entityId: string;
  reason?: string | null;
  data?: Record<string, unknown>;
};

/** Written inside the caller's transaction, next to the change it records. */
export async function audit(db: DbOrTx, entry: AuditInput): Promise<void> {
  await db.insert(auditLog).values({
    actorId: entry.actorId ?? null,
    actorLabel: entry.actorLabel ?? (entry.actorId ? null : "system"),
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    reason: entry.reason ?? null,
    data: entry.data ?? {},
  });
}
