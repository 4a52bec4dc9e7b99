"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import type { FeedState } from "@/lib/site/feed-actions";

type Props = {
  scope: "customer" | "staff";
  /** The active feed, if any (its address is shown only when made). */
  active: { id: string; createdAt: string } | null;
  create: (scope: string) => Promise<FeedState>;
  revoke: (scope: string, feedId: string) => Promise<FeedState>;
};

/** 订阅日历: make (or remake) the private subscription address, copy it, or turn it off. */
export function CalendarFeedPanel({ scope, active, create, revoke }: Props) {
  const t = useTranslations("feeds");
  const router = useRouter();
  const [url, setUrl] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [pending, start] = useTransition();

  const run = (fn: () => Promise<FeedState>, after: (r: FeedState) => void) =>
    start(async () => {
      const r = await fn();
      if (!r.ok) {
        setMessage(r.message ?? t("failed"));
        return;
      }
      setMessage(null);
      after(r);
      router.refresh();
    });

  return (
    <section className="space-y-3 rounded-2xl border border-stone-200 bg-white p-4" data-testid="calendar-feed">
      <h2 className="text-lg font-semibold">{t("title")}</h2>
      <p className="text-sm text-stone-600">{t(scope === "staff" ? "hintStaff" : "hint")}</p>
      {url ? (
        <div className="space-y-2">
          <label className="block text-sm font-medium" htmlFor={`feed-url-${scope}`}>
            {t("address")}
          </label>
          <div className="flex gap-2">
            <input
              id={`feed-url-${scope}`}
              readOnly
              value={url}
              onFocus={(e) => e.currentTarget.select()}
              className="min-w-0 flex-1 rounded-lg border border-stone-300 px-2 py-1.5 font-mono text-xs"
              data-testid="feed-url"
            />
            <button
              type="button"
              onClick={() => void navigator.clipboard?.writeText(url).then(() => setMessage(t("copied")))}
              className="rounded-full border border-stone-300 px-3 py-1.5 text-sm hover:bg-stone-50"
            >
              {t("copy")}
            </button>
          </div>
          <p className="text-xs text-stone-500">{t("shownOnce")}</p>
        </div>
      ) : (
        active && <p className="text-sm text-stone-700">{t("active", { date: active.createdAt.slice(0, 10) })}</p>
      )}
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          disabled={pending}
          onClick={() =>
            run(
              () => create(scope),
              (r) => setUrl(r.data?.url ?? null),
            )
          }
          className="rounded-full bg-brand-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-50"
        >
          {active || url ? t("regenerate") : t("create")}
        </button>
        {active && (
          <button
            type="button"
            disabled={pending}
            onClick={() =>
              run(
                () => revoke(scope, active.id),
                () => setUrl(null),
              )
            }
            className="rounded-full border border-stone-300 px-4 py-1.5 text-sm hover:bg-stone-50 disabled:opacity-50"
          >
            {t("revoke")}
          </button>
        )}
      </div>
      {message && (
        <p role="status" className="text-sm text-stone-700">
          {message}
        </p>
      )}
    </section>
  );
}
