import { getDb } from "@/db/client";
import { InboxView } from "@/components/notifications/inbox-view";
import { requirePageUser } from "@/lib/auth/session";
import { inboxQuerySchema, listInbox, unreadCount, withLinks } from "@/lib/notifications/inbox";
import { markAllReadAction, markReadAction } from "@/lib/site/inbox-actions";

export const metadata = { title: "消息 Inbox" };

const PAGE_SIZE = 30;

export default async function InboxPage({ searchParams }: { searchParams: Promise<{ before?: string | string[] }> }) {
  const user = await requirePageUser("/me/inbox");
  const { before } = await searchParams;
  const parsed = inboxQuerySchema.safeParse({ limit: PAGE_SIZE, before });
  const query = parsed.success ? parsed.data : { limit: PAGE_SIZE };
  const db = getDb();
  const [messages, unread] = await Promise.all([listInbox(db, user.id, query), unreadCount(db, user.id)]);
  const cards = await withLinks(db, user.id, messages);
  const olderCursor = messages.length === PAGE_SIZE ? (messages.at(-1)?.id ?? null) : null;
  return (
    <InboxView
      messages={cards}
      unread={unread}
      olderCursor={olderCursor}
      paged={Boolean(query.before)}
      markRead={markReadAction}
      markAllRead={markAllReadAction}
    />
  );
}
