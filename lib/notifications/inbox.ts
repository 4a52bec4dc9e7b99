import "server-only";
import { and, count, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { bookings, notifications, type BookingStatus } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { messageLinks, type MessageLink } from "./message-links";

/** One message of a user's in-app inbox, as pages and the REST API show it. */
export type InboxMessage = {
  id: string;
  type: string;
  channel: "in_app";
  title: string;
  body: string;
  /** The booking the message is about, when there is one (its links lead there). */
  bookingId: string | null;
  readAt: Date | null;
  /** The message's action on this site (pay or accept a held seat), as a path; null when it has none. */
  link: string | null;
  /** When the message reached the inbox (a reminder arrives long after its row was written). */
  sentAt: Date;
  createdAt: Date;
};

export const inboxQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** Cursor: the id of the last message of the previous page. */
  before: z.uuid().optional(),
});
export type InboxQuery = z.infer<typeof inboxQuerySchema>;

const notFound = () => new AppError("NOT_FOUND", "notificationNotFound");

/** Only rows that were delivered to this user's inbox: pending or failed outbox rows stay hidden. */
const delivered = (userId: string) =>
  and(eq(notifications.userId, userId), eq(notifications.channel, "in_app"), eq(notifications.status, "sent"));

/** The inbox orders by arrival; `sent_at` is set on every delivered row, `created_at` is a guard. */
const arrivedAt = sql<Date>`coalesce(${notifications.sentAt}, ${notifications.createdAt})`;

const columns = {
  id: notifications.id,
  type: notifications.type,
  title: notifications.title,
  body: notifications.body,
  bookingId: notifications.bookingId,
  readAt: notifications.readAt,
  sentAt: notifications.sentAt,
  createdAt: notifications.createdAt,
  payload: notifications.payload,
};

type Row = { [K in keyof typeof columns]: (typeof notifications.$inferSelect)[K] };

/** The path of the message's pay or accept link (the outbox stores it absolute, for email and SMS). */
function linkOf(payload: Record<string, unknown>): string | null {
  const url = (payload.data as { payUrl?: unknown } | undefined)?.payUrl;
  if (typeof url !== "string") return null;
  try {
    const { pathname, search } = new URL(url);
    return `${pathname}${search}`;
  } catch {
    return null;
  }
}

const toMessage = ({ payload, ...r }: Row): InboxMessage => ({
  ...r,
  channel: "in_app",
  link: linkOf(payload),
  sentAt: r.sentAt ?? r.createdAt,
});

/** The caller's delivered in-app messages, newest arrival first; `before` continues after a page. */
export async function listInbox(db: DbOrTx, userId: string, query: { limit: number; before?: string }): Promise<InboxMessage[]> {
  const cursor = query.before
    ? sql`(${arrivedAt}, ${notifications.id}) < (select coalesce(c.sent_at, c.created_at), c.id from notifications c where c.id = ${query.before} and c.user_id = ${userId})`
    : undefined;
  const rows = await db
    .select(columns)
    .from(notifications)
    .where(and(delivered(userId), cursor))
    .orderBy(desc(arrivedAt), desc(notifications.id))
    .limit(query.limit);
  return rows.map(toMessage);
}

export type InboxCard = InboxMessage & { links: MessageLink[] };

/**
 * The messages as cards with their next steps; pay and reschedule depend on the reader's own
 * booking as it stands now (one query for the page).
 */
export async function withLinks(db: DbOrTx, userId: string, messages: InboxMessage[]): Promise<InboxCard[]> {
  const ids = [...new Set(messages.flatMap((m) => (m.bookingId ? [m.bookingId] : [])))];
  const rows =
    ids.length === 0
      ? []
      : await db
          .select({ id: bookings.id, status: bookings.status })
          .from(bookings)
          .where(and(inArray(bookings.id, ids), eq(bookings.customerId, userId)));
  const status = new Map<string, BookingStatus>(rows.map((r) => [r.id, r.status]));
  return messages.map((m) => ({
    ...m,
    links: messageLinks(m.type, m.bookingId, m.bookingId ? (status.get(m.bookingId) ?? null) : null, m.link),
  }));
}

export async function unreadCount(db: DbOrTx, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(delivered(userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

/**
 * Marks one of the caller's own messages read. Idempotent: a message already read keeps its first
 * `readAt`. Someone else's id answers NOT_FOUND, the same as an id that does not exist.
 */
export async function markRead(db: DbOrTx, userId: string, id: string): Promise<InboxMessage> {
  if (!z.uuid().safeParse(id).success) throw notFound();
  const [updated] = await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.id, id), delivered(userId), isNull(notifications.readAt)))
    .returning(columns);
  if (updated) return toMessage(updated);
  const [existing] = await db
    .select(columns)
    .from(notifications)
    .where(and(eq(notifications.id, id), delivered(userId)))
    .limit(1);
  if (!existing) throw notFound();
  return toMessage(existing);
}

/** Marks every unread message of the caller read; returns how many changed. */
export async function markAllRead(db: DbOrTx, userId: string): Promise<number> {
  const rows = await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(delivered(userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return rows.length;
}
