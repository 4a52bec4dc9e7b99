import { getTranslations } from "next-intl/server";
import { toLocale } from "@/lib/i18n/config";
import { readStoredText } from "@/lib/i18n/error-text";
import type { BookingDetail } from "@/lib/booking/staff-detail";
import { formatFen } from "@/lib/money";
import { AuditList } from "../audit-list";
import { formatDateTime } from "@/components/format";
import { Badge, Card, EmptyState } from "../ui";

/** Money, messages and the audit trail of one booking. */
export async function BookingHistory({ detail, locale, timezone }: { detail: BookingDetail; locale: string; timezone: string }) {
  const t = await getTranslations("dash");
  const when = (d: Date | null) => formatDateTime(d, locale, timezone);
  return (
    <>
      <Card title={t("booking.payments")} testId="booking-payments">
        {detail.payments.length === 0 && detail.refunds.length === 0 ? (
          <EmptyState>{t("booking.noPayments")}</EmptyState>
        ) : (
          <div className="space-y-3 text-sm">
            <ul className="divide-y divide-stone-100">
              {detail.payments.map((p) => (
                <li key={p.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2">
                  <span className="font-mono text-xs">{p.outTradeNo}</span>
                  <span>{t(`providers.${p.provider}`)}</span>
                  <span className="tabular-nums">{formatFen(p.amountFen)}</span>
                  {p.refundedFen > 0 && (
                    <span className="text-stone-500">{t("payments.refundedAmount", { amount: formatFen(p.refundedFen) })}</span>
                  )}
                  <Badge value={p.status} label={t(`paymentStatus.${p.status}`)} />
                  <span className="ml-auto text-xs text-stone-500">{when(p.paidAt ?? p.createdAt)}</span>
                </li>
              ))}
            </ul>
            {detail.refunds.length > 0 && (
              <ul className="divide-y divide-stone-100 border-t border-stone-200" data-testid="booking-refunds">
                {detail.refunds.map((r) => (
                  <li key={r.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2">
                    <span>{t("payments.refund")}</span>
                    <span className="tabular-nums">{formatFen(r.amountFen)}</span>
                    <span className="text-stone-500">{readStoredText(toLocale(locale), r.reason)}</span>
                    <Badge value={r.status} label={t(`refundStatus.${r.status}`)} />
                    <span className="ml-auto text-xs text-stone-500">{when(r.completedAt ?? r.createdAt)}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </Card>
      <Card title={t("booking.messages")} testId="booking-messages">
        {detail.notifications.length === 0 ? (
          <EmptyState>{t("booking.noMessages")}</EmptyState>
        ) : (
          <ul className="divide-y divide-stone-100 text-sm">
            {detail.notifications.map((n) => (
              <li key={n.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2">
                <span className="font-medium">{n.title}</span>
                <span className="text-stone-500">
                  {t(`channels.${n.channel}`)} · {t.has(`messageTypes.${n.type}`) ? t(`messageTypes.${n.type}`) : n.type}
                </span>
                <Badge value={n.status} label={t(`messageStatus.${n.status}`)} />
                <span className="text-xs text-stone-500">{t("messages.attempts", { count: n.attempts })}</span>
                <span className="ml-auto text-xs text-stone-500">{when(n.sentAt ?? n.createdAt)}</span>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title={t("booking.audit")} testId="booking-audit">
        <AuditList rows={detail.audit} locale={locale} timezone={timezone} emptyText={t("audit.empty")} />
      </Card>
    </>
  );
}
