import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import type { InboxCard } from "@/lib/notifications/inbox";
import { PendingButton } from "./pending-button";

type Props = {
  messages: InboxCard[];
  unread: number;
  /** Cursor for the next (older) page, when there is one. */
  olderCursor: string | null;
  paged: boolean;
  markRead: (formData: FormData) => Promise<void>;
  markAllRead: () => Promise<void>;
};

export async function InboxView({ messages, unread, olderCursor, paged, markRead, markAllRead }: Props) {
  const [t, format] = await Promise.all([getTranslations("inbox"), getFormatter()]);
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <span className="text-sm text-stone-500" data-testid="inbox-unread-summary">
          {t("unreadSummary", { count: unread })}
        </span>
        <div className="ml-auto flex items-center gap-3 text-sm">
          <Link href="/me/settings" className="text-brand-600 underline">
            {t("settingsLink")}
          </Link>
          {unread > 0 && (
            <form action={markAllRead}>
              <PendingButton className="rounded-lg border border-stone-300 px-3 py-1 hover:border-brand-500" data-testid="inbox-mark-all">
                {t("markAllRead")}
              </PendingButton>
            </form>
          )}
        </div>
      </div>

      {messages.length === 0 ? (
        <div className="rounded-xl border border-dashed border-stone-300 p-8 text-center" data-testid="inbox-empty">
          <p className="font-medium">{t("empty")}</p>
          <p className="mt-1 text-sm text-stone-500">{t("emptyHint")}</p>
        </div>
      ) : (
        <ul className="space-y-2">
          {messages.map((m) => {
            const isUnread = m.readAt === null;
            return (
              <li
                key={m.id}
                data-testid="inbox-item"
                data-unread={isUnread}
                className={`rounded-xl border p-4 ${isUnread ? "border-brand-500 bg-brand-50" : "border-stone-200 bg-white text-stone-600"}`}
              >
                <div className="flex items-start gap-3">
                  {isUnread && <span className="mt-2 size-2 shrink-0 rounded-full bg-brand-600" aria-label={t("unread")} />}
                  <div className="min-w-0 flex-1">
                    <p className={isUnread ? "font-semibold text-stone-900" : "font-medium"}>{m.title}</p>
                    <time className="text-xs text-stone-500" dateTime={m.sentAt.toISOString()}>
                      {format.dateTime(m.sentAt, { dateStyle: "medium", timeStyle: "short" })}
                    </time>
                    <p className="mt-2 whitespace-pre-line break-words text-sm">{m.body}</p>
                    {m.links.length > 0 && (
                      <div className="mt-3 flex flex-wrap gap-2 text-sm" data-testid="inbox-links">
                        {m.links.map((l) => (
                          <Link
                            key={l.kind}
                            href={l.href}
                            data-testid={`inbox-link-${l.kind}`}
                            className={
                              l.kind === "pay"
                                ? "rounded-lg bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700"
                                : "rounded-lg border border-stone-300 bg-white px-3 py-1.5 text-stone-800 hover:border-brand-500 hover:text-brand-700"
                            }
                          >
                            {t(`links.${l.kind}`)}
                          </Link>
                        ))}
                      </div>
                    )}
                  </div>
                  {isUnread && (
                    <form action={markRead}>
                      <input type="hidden" name="id" value={m.id} />
                      <PendingButton className="shrink-0 text-sm text-brand-600 underline" data-testid="inbox-mark-read">
                        {t("markRead")}
                      </PendingButton>
                    </form>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}

      <nav className="flex justify-between text-sm">
        {paged ? (
          <Link href="/me/inbox" className="text-brand-600 underline">
            {t("newest")}
          </Link>
        ) : (
          <span />
        )}
        {olderCursor && (
          <Link href={`/me/inbox?before=${olderCursor}`} className="text-brand-600 underline">
            {t("older")}
          </Link>
        )}
      </nav>
    </div>
  );
}
