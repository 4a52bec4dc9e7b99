import "server-only";
import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx } from "@/db/client";
import { notificationDeliveries, notifications, users, type User } from "@/db/schema";
import { audit } from "@/lib/audit";
import { requireStaff } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { enqueueDelivery } from "./outbox";
import { maskedIfEncrypted } from "@/lib/pii";

export const outboxStatuses = ["pending", "sent", "failed", "dead", "cancelled"] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

export const outboxQuerySchema = z.object({
  status: z.enum(outboxStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});
export type OutboxQuery = z.infer<typeof outboxQuerySchema>;

export const resendSchema = z.object({ reason: z.string().trim().max(500).optional() });

export type Actor = Pick<User, "id" | "role">;

export type DeliveryAttempt = { attempt: number; outcome: string; providerMessageId: string | null; error: string | null; createdAt: Date };

export type OutboxEntry = {
  id: string;
  /** Null for a verification code to a number with no account yet. */
  userId: string | null;
  recipientName: string;
  bookingId: string | null;
  type: string;
  channel: "email" | "sms" | "wechat" | "in_app";
  status: OutboxStatus;
  title: string;
  attempts: number;
  lastError: string | null;
  providerMessageId: string | null;
  sendAfter: Date;
  sentAt: Date | null;
  createdAt: Date;
  deliveries: DeliveryAttempt[];
};

const notFound = () => new AppError("NOT_FOUND", "notificationNotFound");

async function selectOutbox(db: DbOrTx, where: SQL | undefined, page: { limit: number; offset: number }): Promise<OutboxEntry[]> {
  const rows = await db
    .select({
      id: notifications.id,
      userId: notifications.userId,
      // A verification code to a number with no account is listed under the number.
      // (encrypted at rest: shown masked, lib/pii)
      recipientName: maskedIfEncrypted(sql`coalesce(${users.name}, ${notifications.recipient}, '')`),
      bookingId: notifications.bookingId,
      type: notifications.type,
      channel: notifications.channel,
      status: notifications.status,
      title: notifications.title,
      attempts: notifications.attempts,
      lastError: notifications.lastError,
      providerMessageId: notifications.providerMessageId,
      sendAfter: notifications.sendAfter,
      sentAt: notifications.sentAt,
      createdAt: notifications.createdAt,
    })
    .from(notifications)
    .leftJoin(users, eq(users.id, notifications.userId))
    .where(where)
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(page.limit)
    .offset(page.offset);
  const ids = rows.map((r) => r.id);
  const history = ids.length
    ? await db
        .select()
        .from(notificationDeliveries)
        .where(inArray(notificationDeliveries.notificationId, ids))
        .orderBy(asc(notificationDeliveries.attempt), asc(notificationDeliveries.createdAt))
    : [];
  const byRow = new Map<string, DeliveryAttempt[]>();
  for (const h of history) {
    const list = byRow.get(h.notificationId) ?? [];
    list.push({ attempt: h.attempt, outcome: h.outcome, providerMessageId: h.providerMessageId, error: h.error, createdAt: h.createdAt });
    byRow.set(h.notificationId, list);
  }
  return rows.map((r) => ({ ...r, deliveries: byRow.get(r.id) ?? [] }));
}

/** Outbox rows (newest first), each with its delivery history: where staff find dead letters. */
export async function listOutbox(db: Db, actor: Actor, query: OutboxQuery): Promise<OutboxEntry[]> {
  requireStaff(actor);
  return selectOutbox(db, query.status ? eq(notifications.status, query.status) : undefined, query);
}

/**
 * Puts a dead or failed message back in the outbox: the row returns to `pending` and its delivery
 * job is enqueued in the same transaction as the audit entry, so a resend is never half-done.
 * Its attempt count and history are kept; the next attempt continues the numbering.
 */
export async function resendNotification(db: Db, actor: Actor, id: string, reason?: string): Promise<OutboxEntry> {
  requireStaff(actor);
  if (!z.uuid().safeParse(id).success) throw notFound();
  return db.transaction(async (tx) => {
    const [row] = await tx.select({ status: notifications.status }).from(notifications).where(eq(notifications.id, id)).limit(1);
    if (!row) throw notFound();
    const [reset] = await tx
      .update(notifications)
      .set({ status: "pending", sendAfter: new Date() })
      .where(and(eq(notifications.id, id), inArray(notifications.status, ["dead", "failed"])))
      .returning({ id: notifications.id });
    if (!reset) throw new AppError("INVALID_STATE", "onlyFailedResend", undefined, { status: row.status });
    await enqueueDelivery(tx, id);
    await audit(tx, {
      actorId: actor.id,
      action: "notification.resend",
      entityType: "notification",
      entityId: id,
      reason,
      data: { previousStatus: row.status },
    });
    const [entry] = await selectOutbox(tx, eq(notifications.id, id), { limit: 1, offset: 0 });
    if (!entry) throw notFound();
    return entry;
  });
}
