import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { isDbUnavailable, logUnavailable } from "@/lib/errors";
import { unreadCount } from "@/lib/notifications/inbox";
import { unreadCountAction } from "@/lib/site/inbox-actions";
import { UnreadBadge } from "./unread-badge";

/** Header link to the inbox with the unread count (kept fresh on navigation); no badge when nothing is unread. */
export async function InboxLink({ userId }: { userId: string }) {
  const t = await getTranslations();
  // The header is on every page: a failing count must not take the page down with it.
  const unread = await unreadCount(getDb(), userId).catch((e: unknown) => {
    if (isDbUnavailable(e)) logUnavailable("inbox badge", e);
    else console.error("[inbox] unread count failed", e);
    return 0;
  });
  return (
    <Link href="/me/inbox" className="inline-flex items-center gap-1 hover:text-brand-600" data-testid="nav-inbox">
      {t("nav.inbox")}
      <UnreadBadge initial={unread} renderedAt={Date.now()} refresh={unreadCountAction} />
    </Link>
  );
}
