import Link from "next/link";
import { toLocale } from "@/lib/i18n/config";
import { readStoredText } from "@/lib/i18n/error-text";
import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { query } from "@/components/dashboard/format";
import { formatDateTime } from "@/components/format";
import { ResendButton } from "@/components/dashboard/messages/resend-button";
import { Badge, Card, EmptyState, PageHeader, Pager, inputClass, secondaryButtonClass } from "@/components/dashboard/ui";
import { requireStaffPage } from "@/lib/auth/session";
import { currentBusiness } from "@/lib/business/queries";
import { PAGE_SIZE } from "@/lib/booking/staff-queries";
import { listMessages } from "@/lib/dashboard/message-queries";
import { messageFilterSchema } from "@/lib/validations/dashboard";
import { resendAction } from "./actions";

export const metadata = { title: "消息 Messages" };

const STATUSES = ["pending", "sent", "failed", "dead", "cancelled"] as const;

export default async function MessagesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireStaffPage("/dashboard/messages");
  const filter = messageFilterSchema.parse(await searchParams);
  const db = getDb();
  const [{ timezone }, t, locale, result] = await Promise.all([
    currentBusiness(db),
    getTranslations("dash"),
    getLocale(),
    listMessages(db, filter),
  ]);
  const { page, ...kept } = filter;
  return (
    <div className="space-y-4">
      <PageHeader title={t("messages.title")} subtitle={t("messages.subtitle")} />
      <nav className="flex flex-wrap gap-2 text-sm" aria-label={t("messages.byStatus")}>
        <Link prefetch={false} href="/dashboard/messages" className={secondaryButtonClass}>
          {t("messages.all")}
        </Link>
        {STATUSES.map((s) => (
          <Link
            prefetch={false}
            key={s}
            href={`/dashboard/messages${query({ status: s })}`}
            className={secondaryButtonClass}
            data-testid={`messages-${s}`}
          >
            {t(`messageStatus.${s}`)} · {result.counts[s] ?? 0}
          </Link>
        ))}
      </nav>
      <Card>
        <form method="get" className="grid grid-cols-2 gap-2 sm:grid-cols-4">
          <input
            name="q"
            defaultValue={filter.q}
            placeholder={t("messages.search")}
            aria-label={t("messages.search")}
            className={inputClass}
          />
          <select name="status" defaultValue={filter.status ?? ""} className={inputClass} aria-label={t("messages.status")}>
            <option value="">{t("messages.all")}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`messageStatus.${s}`)}
              </option>
            ))}
          </select>
          <select name="channel" defaultValue={filter.channel ?? ""} className={inputClass} aria-label={t("messages.channel")}>
            <option value="">{t("messages.allChannels")}</option>
            {(["email", "sms", "in_app"] as const).map((c) => (
              <option key={c} value={c}>
                {t(`channels.${c}`)}
              </option>
            ))}
          </select>
          <button type="submit" className={secondaryButtonClass}>
            {t("overview.apply")}
          </button>
        </form>
      </Card>
      <Card>
        {result.rows.length === 0 ? (
          <EmptyState>{t("messages.empty")}</EmptyState>
        ) : (
          <ul className="divide-y divide-stone-100 text-sm" data-testid="message-list">
            {result.rows.map((n) => (
              <li key={n.id} className="space-y-1 py-3" data-status={n.status}>
                <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
                  <Badge value={n.status} label={t(`messageStatus.${n.status}`)} />
                  <span className="font-medium">{n.title}</span>
                  <span className="text-stone-500">
                    {t(`channels.${n.channel}`)} → {n.recipient}
                    {n.recipientContact ? ` (${n.recipientContact})` : ""}
                  </span>
                  {n.bookingId && (
                    <Link prefetch={false} className="text-brand-600 underline" href={`/dashboard/bookings/${n.bookingId}`}>
                      {n.bookingCode}
                    </Link>
                  )}
                  <span className="ml-auto text-xs text-stone-500">{formatDateTime(n.sentAt ?? n.sendAfter, locale, timezone)}</span>
                </div>
                <div className="flex flex-wrap items-center gap-x-3 text-xs text-stone-500">
                  <span>{t.has(`messageTypes.${n.type}`) ? t(`messageTypes.${n.type}`) : n.type}</span>
                  <span>{t("messages.attempts", { count: n.attempts })}</span>
                  {n.lastError && (
                    <span className="text-rose-700">
                      {t("messages.lastError", { error: readStoredText(toLocale(locale), n.lastError) })}
                    </span>
                  )}
                  {(n.status === "dead" || n.status === "failed") && <ResendButton id={n.id} action={resendAction} />}
                </div>
                {n.deliveries.length > 0 && (
                  <details className="text-xs">
                    <summary className="cursor-pointer text-stone-600">{t("messages.history", { count: n.deliveries.length })}</summary>
                    <ol className="mt-1 space-y-0.5 pl-4">
                      {n.deliveries.map((d) => (
                        <li key={d.id} className="font-mono">
                          #{d.attempt} {formatDateTime(d.createdAt, locale, timezone, "full")}{" "}
                          {t.has(`deliveryOutcomes.${d.outcome}`) ? t(`deliveryOutcomes.${d.outcome}`) : d.outcome}
                          {d.providerMessageId ? ` · ${d.providerMessageId}` : ""}
                          {d.error ? ` · ${readStoredText(toLocale(locale), d.error)}` : ""}
                        </li>
                      ))}
                    </ol>
                  </details>
                )}
              </li>
            ))}
          </ul>
        )}
        <Pager
          page={page}
          total={result.total}
          pageSize={PAGE_SIZE}
          href={(p) => `/dashboard/messages${query({ ...kept, page: p })}`}
          labels={{ prev: t("prev"), next: t("next"), of: t("pageOf", { page, pages: Math.max(1, Math.ceil(result.total / PAGE_SIZE)) }) }}
        />
      </Card>
    </div>
  );
}
