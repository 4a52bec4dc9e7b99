"use client";

import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";
import { useTranslations } from "next-intl";

/**
 * The header's unread count. The header lives in a layout, which client navigation keeps as it
 * was: the count is asked again on every navigation, and taken from the server whenever the layout
 * itself is refreshed (marking a message read revalidates it).
 */
export function UnreadBadge({
  initial,
  renderedAt,
  refresh,
}: {
  initial: number;
  /** When the server counted: a refreshed layout (after reading) wins even when its count equals the last one it sent. */
  renderedAt: number;
  refresh: () => Promise<number>;
}) {
  const t = useTranslations("inbox");
  const pathname = usePathname();
  const [unread, setUnread] = useState(initial);
  useEffect(() => setUnread(initial), [initial, renderedAt]);
  useEffect(() => {
    let live = true;
    refresh()
      .then((n) => live && setUnread(n))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [pathname, refresh]);
  if (unread <= 0) return null;
  return (
    <span
      className="min-w-5 rounded-full bg-brand-600 px-1.5 text-center text-xs font-semibold leading-5 text-white"
      data-testid="inbox-unread"
      aria-label={t("badgeLabel", { count: unread })}
    >
      {unread > 99 ? "99+" : unread}
    </span>
  );
}
