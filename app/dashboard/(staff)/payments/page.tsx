import Link from "next/link";
import { toLocale } from "@/lib/i18n/config";
import { readStoredText } from "@/lib/i18n/error-text";
import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { query } from "@/components/dashboard/format";
import { formatDateTime } from "@/components/format";
import { Badge, Card, EmptyState, PageHeader, Pager, inputClass, secondaryButtonClass } from "@/components/dashboard/ui";
import { requireStaffPage } from "@/lib/auth/session";
import { currentBusiness } from "@/lib/business/queries";
import { PAGE_SIZE } from "@/lib/booking/staff-queries";
import { ledger, listRefunds } from "@/lib/dashboard/ledger-queries";
import { formatFen } from "@/lib/money";
import { paymentFilterSchema } from "@/lib/validations/dashboard";
import { RetryRefund } from "@/components/dashboard/payments/retry-refund";
import { retryRefundAction } from "./actions";
import { PassSales } from "@/components/dashboard/passes/pass-sales";
import { passSalesBetween } from "@/lib/passes/queries";

export const metadata = { title: "收款 Payments" };

export default async function PaymentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireStaffPage("/dashboard/payments");
  const filter = paymentFilterSchema.parse(await searchParams);
  const db = getDb();
  const business = await currentBusiness(db);
  const { timezone } = business;
  const now = new Date();
  const [t, locale, result, refunds, problems, cardSales] = await Promise.all([
    getTranslations("dash"),
    getLocale(),
    ledger(db, filter, timezone),
    listRefunds(db, { limit: 30 }),
    listRefunds(db, { needsAttention: true, limit: 100 }),
    // Cards sold online and at the desk (cash, card, other) are not booking payments: their own ledger below.
    passSalesBetween(db, business.id, new Date(now.getTime() - 30 * 86_400_000), now),
  ]);
  const { page, ...kept } = filter;
  const tPasses = await getTranslations("dash.passes");
  const totals: [string, string, string][] = [
    [t("payments.paid"), formatFen(result.totals.paidFen), "total-paid"],
    [t("payments.refunded"), formatFen(result.totals.refundedFen), "total-refunded"],
    [t("payments.net"), formatFen(result.totals.netFen), "total-net"],
    [t("payments.pending"), formatFen(result.totals.pendingFen), "total-pending"],
  ];
  return (
    <div className="space-y-4">
      <PageHeader
        title={t("payments.title")}
        subtitle={t("payments.count", { count: result.totals.count })}
        actions={
          <>
            <Link
              prefetch={false}
              className={secondaryButtonClass}
              href="/dashboard/payments/reconciliation"
              data-testid="reconciliation-link"
            >
              {t("payments.reconciliationLink")}
            </Link>
            <Link prefetch={false} className={secondaryButtonClass} href="/dashboard/payments/invoices" data-testid="invoices-link">
              {t("payments.invoicesLink")}
            </Link>
            <a className={secondaryButtonClass} href={`/dashboard/export/payments${query({ from: filter.from, to: filter.to })}`}>
              {t("overview.exportPayments")}
            </a>
          </>
        }
      />
      <Card>
        <form method="get" className="grid grid-cols-2 gap-2 sm:grid-cols-6">
          <input
            name="q"
            defaultValue={filter.q}
            placeholder={t("payments.search")}
            aria-label={t("payments.search")}
            className={`${inputClass} col-span-2`}
          />
          <select name="status" defaultValue={filter.status ?? ""} className={inputClass} aria-label={t("payments.status")}>
            <option value="">{t("payments.allStatuses")}</option>
            {(["pending", "paid", "closed", "failed", "partially_refunded", "refunded"] as const).map((s) => (
              <option key={s} value={s}>
                {t(`paymentStatus.${s}`)}
              </option>
            ))}
          </select>
          <select name="provider" defaultValue={filter.provider ?? ""} className={inputClass} aria-label={t("payments.provider")}>
            <option value="">{t("payments.allProviders")}</option>
            {(["alipay", "wechat", "paypal", "sandbox", "desk"] as const).map((p) => (
              <option key={p} value={p}>
                {t(`providers.${p}`)}
              </option>
            ))}
          </select>
          <input type="date" name="from" defaultValue={filter.from} className={inputClass} aria-label={t("overview.from")} />
          <input type="date" name="to" defaultValue={filter.to} className={inputClass} aria-label={t("overview.to")} />
          <button type="submit" className={secondaryButtonClass}>
            {t("overview.apply")}
          </button>
        </form>
      </Card>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        {totals.map(([label, value, id]) => (
          <div key={id} className="rounded-xl border border-stone-200 bg-white p-3" data-testid={id}>
            <dt className="text-xs text-stone-500">{label}</dt>
            <dd className="text-lg font-semibold tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
      {result.totals.needsAttention > 0 && (
        <p className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="reconciliation-warning">
          {t("payments.attention", { count: result.totals.needsAttention })}
        </p>
      )}
      {problems.length > 0 && (
        <Card title={t("payments.problems")} testId="refund-problems">
          <p className="mb-2 text-xs text-stone-500">{t("payments.problemsHint")}</p>
          <ul className="divide-y divide-stone-100 text-sm">
            {problems.map((r) => (
              <li
                key={r.id}
                className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2"
                data-testid="refund-problem"
                data-refund-id={r.id}
              >
                <span className="font-mono text-xs">{r.outRefundNo}</span>
                <Link prefetch={false} className="text-brand-600 underline" href={`/dashboard/bookings/${r.bookingId}`}>
                  {r.bookingCode}
                </Link>
                <span>{r.customerName}</span>
                <span className="tabular-nums">{formatFen(r.amountFen)}</span>
                <Badge value={r.status} label={t(`refundStatus.${r.status}`)} />
                {r.gatewayStatus && (
                  <span className="text-xs text-stone-500">{t("payments.gatewaySays", { status: r.gatewayStatus })}</span>
                )}
                {r.lastError && <span className="basis-full text-xs text-rose-700">{readStoredText(toLocale(locale), r.lastError)}</span>}
                <span className="text-xs text-stone-500">{formatDateTime(r.checkedAt ?? r.createdAt, locale, timezone)}</span>
                <span className="ml-auto">
                  <RetryRefund action={retryRefundAction} refundId={r.id} label={t("payments.retry")} />
                </span>
              </li>
            ))}
          </ul>
        </Card>
      )}
      <Card title={t("payments.ledger")}>
        {result.payments.length === 0 ? (
          <EmptyState>{t("payments.empty")}</EmptyState>
        ) : (
          <ul className="divide-y divide-stone-100 text-sm" data-testid="payment-list">
            {result.payments.map((p) => (
              <li key={p.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2">
                <span className="font-mono text-xs">{p.outTradeNo}</span>
                <Link prefetch={false} className="text-brand-600 underline" href={`/dashboard/bookings/${p.bookingId}`}>
                  {p.bookingCode}
                </Link>
                <span>{p.customerName}</span>
                <span className="text-stone-500">{p.serviceName}</span>
                <span>{t(`providers.${p.provider}`)}</span>
                <span className="tabular-nums">{formatFen(p.amountFen)}</span>
                {p.refundedFen > 0 && (
                  <span className="text-stone-500">{t("payments.refundedAmount", { amount: formatFen(p.refundedFen) })}</span>
                )}
                <Badge value={p.status} label={t(`paymentStatus.${p.status}`)} />
                {p.reconciliation !== "ok" && <Badge value="partial" label={t(`payments.recon.${p.reconciliation}`)} />}
                <span className="ml-auto text-xs text-stone-500">{formatDateTime(p.paidAt ?? p.createdAt, locale, timezone)}</span>
              </li>
            ))}
          </ul>
        )}
        <Pager
          page={page}
          total={result.totals.count}
          pageSize={PAGE_SIZE}
          href={(p) => `/dashboard/payments${query({ ...kept, page: p })}`}
          labels={{
            prev: t("prev"),
            next: t("next"),
            of: t("pageOf", { page, pages: Math.max(1, Math.ceil(result.totals.count / PAGE_SIZE)) }),
          }}
        />
      </Card>
      <Card title={t("payments.refunds")} testId="refund-list">
        {refunds.length === 0 ? (
          <EmptyState>{t("payments.noRefunds")}</EmptyState>
        ) : (
          <ul className="divide-y divide-stone-100 text-sm">
            {refunds.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2">
                <span className="font-mono text-xs">{r.outRefundNo}</span>
                <Link prefetch={false} className="text-brand-600 underline" href={`/dashboard/bookings/${r.bookingId}`}>
                  {r.bookingCode}
                </Link>
                <span>{r.customerName}</span>
                <span className="tabular-nums">{formatFen(r.amountFen)}</span>
                <span className="text-stone-500">{readStoredText(toLocale(locale), r.reason)}</span>
                {r.actorName && <span className="text-stone-500">{r.actorName}</span>}
                <Badge value={r.status} label={t(`refundStatus.${r.status}`)} />
                <span className="ml-auto text-xs text-stone-500">{formatDateTime(r.completedAt ?? r.createdAt, locale, timezone)}</span>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title={tPasses("sales")} testId="card-sales">
        {cardSales.length === 0 ? (
          <EmptyState>{tPasses("noSales")}</EmptyState>
        ) : (
          <PassSales rows={cardSales} locale={locale} timezone={timezone} />
        )}
      </Card>
    </div>
  );
}
