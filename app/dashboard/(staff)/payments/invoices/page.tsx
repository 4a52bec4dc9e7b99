import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { formatDateTime } from "@/components/format";
import { MarkInvoiceIssued } from "@/components/dashboard/payments/mark-invoice-issued";
import { Badge, Card, EmptyState, PageHeader } from "@/components/dashboard/ui";
import { requireStaffPage } from "@/lib/auth/session";
import { listInvoiceRequests } from "@/lib/booking/invoice-requests";
import { currentBusiness } from "@/lib/business/queries";
import { formatFen } from "@/lib/money";
import { markInvoiceIssuedAction } from "./actions";

export async function generateMetadata() {
  return { title: (await getTranslations("dash.invoices"))("title") };
}

/** Fapiao requests: waiting ones first; staff issue them outside Yuyue and record the number. */
export default async function InvoicesPage() {
  await requireStaffPage("/dashboard/payments/invoices");
  const db = getDb();
  const [{ timezone }, t, locale, rows] = await Promise.all([
    currentBusiness(db),
    getTranslations("dash.invoices"),
    getLocale(),
    listInvoiceRequests(db),
  ]);
  return (
    <div className="space-y-4">
      <PageHeader
        title={t("title")}
        actions={
          <Link prefetch={false} href="/dashboard/payments" className="text-sm text-brand-600 underline">
            {t("backToPayments")}
          </Link>
        }
      />
      <Card>
        {rows.length === 0 ? (
          <EmptyState>{t("empty")}</EmptyState>
        ) : (
          <ul className="divide-y divide-stone-100 text-sm" data-testid="invoice-list">
            {rows.map(({ invoice: i, bookingCode, customerName, serviceName }) => (
              <li
                key={i.id}
                className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2"
                data-testid="invoice-row"
                data-booking-code={bookingCode}
              >
                <Link prefetch={false} className="text-brand-600 underline" href={`/dashboard/bookings/${i.bookingId}`}>
                  {bookingCode}
                </Link>
                <span>{customerName}</span>
                <span className="text-stone-500">{serviceName}</span>
                <span className="font-medium">{i.title}</span>
                <span className="text-stone-500">{t(`kinds.${i.kind === "company" ? "company" : "personal"}`)}</span>
                {i.taxNo && <span className="font-mono text-xs">{i.taxNo}</span>}
                {i.email && <span className="text-stone-500">{i.email}</span>}
                <span className="tabular-nums">{formatFen(i.amountFen)}</span>
                <Badge
                  value={i.status === "issued" ? "succeeded" : "pending"}
                  label={t(`status.${i.status === "issued" ? "issued" : "requested"}`)}
                  testId="invoice-status"
                />
                <span className="text-xs text-stone-500">{formatDateTime(i.issuedAt ?? i.createdAt, locale, timezone)}</span>
                {i.status === "issued" ? (
                  <span className="ml-auto font-mono text-xs">{i.invoiceNo}</span>
                ) : (
                  <span className="ml-auto">
                    <MarkInvoiceIssued action={markInvoiceIssuedAction} invoiceId={i.id} />
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
