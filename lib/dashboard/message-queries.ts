import "server-only";
import { and, asc, count, desc, eq, getTableColumns, ilike, inArray, or, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { bookings, notificationDeliveries, notifications, users, type Notification } from "@/db/schema";
import type { MessageFilter } from "@/lib/validations/dashboard";
import { containsPattern } from "@/lib/like";
import { PAGE_SIZE } from "@/lib/booking/staff-queries";
import { maskedPhone } from "@/lib/pii";

export type Delivery = typeof notificationDeliveries.$inferSelect;
export type MessageRow = Omit<Notification, "payload"> & {
  recipient: string;
  recipientContact: string | null;
  bookingCode: string | null;
  deliveries: Delivery[];
};

/** The outbox as staff read it: newest first, with every delivery attempt of the rows on the page. */
export async function listMessages(
  db: DbOrTx,
  filter: MessageFilter,
): Promise<{ rows: MessageRow[]; total: number; counts: Record<string, number> }> {
  const where = and(
    filter.status ? eq(notifications.status, filter.status) : undefined,
    filter.channel ? eq(notifications.channel, filter.channel) : undefined,
    filter.q
      ? or(
          ilike(notifications.title, containsPattern(filter.q)),
          ilike(users.name, containsPattern(filter.q)),
          ilike(notifications.type, containsPattern(filter.q)),
          ilike(bookings.code, containsPattern(filter.q)),
        )
      : undefined,
  );
  // The payload (rendered data) is not shown here and can be large: leave it out of the page's rows.
  const { payload: _omit, ...columns } = getTableColumns(notifications);
  const rows = await db
    .select({ n: columns, recipient: users.name, email: users.email, phone: maskedPhone(), bookingCode: bookings.code })
    .from(notifications)
    .innerJoin(users, eq(users.id, notifications.userId))
    .leftJoin(bookings, eq(bookings.id, notifications.bookingId))
    .where(where)
    .orderBy(desc(notifications.createdAt))
    .limit(PAGE_SIZE)
    .offset((filter.page - 1) * PAGE_SIZE);
  const [total] = await db
    .select({ n: count() })
    .from(notifications)
    .innerJoin(users, eq(users.id, notifications.userId))
    .leftJoin(bookings, eq(bookings.id, notifications.bookingId))
    .where(where);
  const ids = rows.map((r) => r.n.id);
  const deliveries = ids.length
    ? await db
        .select()
        .from(notificationDeliveries)
        .where(inArray(notificationDeliveries.notificationId, ids))
        .orderBy(asc(notificationDeliveries.createdAt))
    : [];
  const statusCounts = await db
    .select({ status: notifications.status, n: sql<number>`count(*)::int` })
    .from(notifications)
    .groupBy(notifications.status);
  return {
    rows: rows.map((r) => ({
      ...(r.n as Omit<Notification, "payload">),
      recipient: r.recipient,
      recipientContact: r.n.channel === "email" ? r.email : r.n.channel === "sms" ? r.phone : null,
      bookingCode: r.bookingCode,
      deliveries: deliveries.filter((d) => d.notificationId === r.n.id),
    })),
    total: Number(total?.n ?? 0),
    counts: Object.fromEntries(statusCounts.map((c) => [c.status, Number(c.n)])),
  };
}
