import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { isDbUnavailable, logUnavailable } from "@/lib/errors";
import { unreadCount } from "@/lib/notifications/inbox";

/** Header link to the inbox with the unread count; the badge is absent when nothing is unread. */
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
      {unread > 0 && (
        <span
          className="min-w-5 rounded-full bg-brand-600 px-1.5 text-center text-xs font-semibold leading-5 text-white"
          data-testid="inbox-unread"
          aria-label={t("inbox.badgeLabel", { count: unread })}
        >
          {unread > 99 ? "99+" : unread}
        </span>
      )}
    </Link>
  );
}
