import { getDb } from "@/db/client";
import { markAllReadAction, markReadAction } from "@/lib/site/inbox-actions";
import { InboxView } from "@/components/notifications/inbox-view";
import { requireStaffPage } from "@/lib/auth/session";
import { listInbox, unreadCount, withLinks } from "@/lib/notifications/inbox";

export const metadata = { title: "通知 Inbox" };

const PAGE_SIZE = 30;

/** The staff member's own inbox (copies of new bookings and cancellations), inside the dashboard. */
export default async function StaffInboxPage() {
  const user = await requireStaffPage("/dashboard/inbox");
  const db = getDb();
  const [messages, unread] = await Promise.all([listInbox(db, user.id, { limit: PAGE_SIZE }), unreadCount(db, user.id)]);
  const olderCursor = messages.length === PAGE_SIZE ? (messages.at(-1)?.id ?? null) : null;
  return (
    <InboxView
      messages={await withLinks(db, user.id, messages)}
      unread={unread}
      olderCursor={olderCursor}
      paged={false}
      markRead={markReadAction}
      markAllRead={markAllReadAction}
    />
  );
}
