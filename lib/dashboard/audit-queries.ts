import "server-only";
import { and, count, desc, eq, gte, ilike, lt, or } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { auditLog, users } from "@/db/schema";
import type { AuditFilter } from "@/lib/validations/dashboard";
import { containsPattern, prefixPattern } from "@/lib/like";
import type { AuditView } from "@/lib/booking/staff-detail";
import { PAGE_SIZE } from "@/lib/booking/staff-queries";
import { dayRange } from "@/lib/booking/day-range";

/** The audit log, newest first, filtered by entity, action (prefix), actor (name or email) and date. */
export async function listAudit(db: DbOrTx, filter: AuditFilter, timezone: string): Promise<{ rows: AuditView[]; total: number }> {
  const range = filter.from || filter.to ? dayRange({ from: filter.from, to: filter.to ?? filter.from }, timezone) : null;
  const where = and(
    filter.entityType ? eq(auditLog.entityType, filter.entityType) : undefined,
    filter.action ? ilike(auditLog.action, prefixPattern(filter.action)) : undefined,
    filter.entityId ? eq(auditLog.entityId, filter.entityId) : undefined,
    filter.actor
      ? or(
          ilike(users.name, containsPattern(filter.actor)),
          ilike(users.email, containsPattern(filter.actor)),
          ilike(auditLog.actorLabel, containsPattern(filter.actor)),
        )
      : undefined,
    range ? and(gte(auditLog.createdAt, range.start), lt(auditLog.createdAt, range.end)) : undefined,
  );
  const rows = await db
    .select({ entry: auditLog, actorName: users.name })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(where)
    .orderBy(desc(auditLog.createdAt))
    .limit(PAGE_SIZE)
    .offset((filter.page - 1) * PAGE_SIZE);
  const [total] = await db.select({ n: count() }).from(auditLog).leftJoin(users, eq(users.id, auditLog.actorId)).where(where);
  return { rows: rows.map((r) => ({ ...r.entry, actorName: r.actorName })), total: Number(total?.n ?? 0) };
}

/** Distinct entity types for the filter. */
export async function auditEntityTypes(db: DbOrTx): Promise<string[]> {
  const rows = await db.selectDistinct({ t: auditLog.entityType }).from(auditLog).orderBy(auditLog.entityType);
  return rows.map((r) => r.t);
}
