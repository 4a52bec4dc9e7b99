import { headers } from "next/headers";
import Link from "next/link";
import { redirect } from "next/navigation";
import QRCode from "qrcode";
import { getLocale, getTranslations } from "next-intl/server";
import { formatSlotRange } from "@/components/booking/format";
import { formatDateTime } from "@/components/format";
import { ManageBooking } from "@/components/booking/manage-booking";
import { MoneyLabel } from "@/components/booking/money-label";
import { StaffAvatar } from "@/components/booking/staff-picker";
import { StatusBadge } from "@/components/booking/status-badge";
import { Voucher } from "@/components/booking/voucher";
import { InvoiceRequest } from "@/components/booking/invoice-request";
import { HoldCountdown } from "@/components/payments/hold-countdown";
import { requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/db/client";
import { invoicePanel } from "@/lib/booking/invoice-requests";
import { liveBookingId } from "@/lib/booking/queries";
import { parseFieldDefinitions, type FieldDefinition } from "@/lib/booking/fields";
import { toLocale, type Locale } from "@/lib/i18n/config";
import { formatFen } from "@/lib/money";
import { cancelBookingAction } from "@/lib/site/cancel-action";
import { requestInvoiceAction } from "@/lib/site/invoice-action";
import { loadBooking } from "@/lib/site/load-booking";
import { staffMember } from "@/lib/staff/queries";
import { wechatOpenidOf } from "@/lib/auth/wechat-oauth";
import { wechatConfig } from "@/lib/wechat/config";
import { isWechatBrowser } from "@/lib/wechat/user-agent";

export const metadata = { title: "预约详情 Booking" };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ rescheduled?: string; wechatNotice?: string }> };

/** A stored answer as the customer typed or picked it. */
function answerText(def: FieldDefinition, value: unknown, locale: Locale, yes: string, no: string): string | null {
  if (value === undefined || value === null || value === "") return null;
  const option = (v: unknown) => def.options?.find((o) => o.value === v)?.label[locale] ?? String(v);
  if (def.type === "checkbox") return value === true ? yes : no;
  if (def.type === "select") return option(value);
  if (def.type === "multiselect") return Array.isArray(value) && value.length > 0 ? value.map(option).join("、") : null;
  return String(value);
}

export default async function BookingPage({ params, searchParams }: Props) {
  const { id } = await params;
  const { rescheduled, wechatNotice } = await searchParams;
  const user = await requirePageUser(`/bookings/${id}`);
  const { view: b, service, business } = await loadBooking(id, user);
  // A moved booking continues as its successor (same code): old links land on the live one.
  if (b.status === "cancelled") {
    const live = await liveBookingId(getDb(), b.id);
    if (live !== b.id) redirect(`/bookings/${live}?rescheduled=1`);
  }
  const [t, localeRaw, qr, invoicing, staff] = await Promise.all([
    getTranslations("booking"),
    getLocale(),
    // The check-in code itself, nothing else: any scanner (or the dashboard's camera) reads it back as typed.
    QRCode.toDataURL(b.code, { margin: 2, width: 240, errorCorrectionLevel: "M" }),
    invoicePanel(getDb(), b.id, { id: user.id, role: user.role }),
    staffMember(getDb(), b.staffId),
  ]);
  const locale = toLocale(localeRaw);
  const zone = business.timezone;
  const name = locale === "en" && service.nameEn ? service.nameEn : service.name;
  const answers = parseFieldDefinitions(service.fields)
    .map((def) => ({ def, text: answerText(def, b.fields[def.key], locale, t("yes"), t("no")) }))
    .filter((a): a is { def: FieldDefinition; text: string } => a.text !== null);
  const row = "flex justify-between gap-4 py-2";
  // Inside WeChat, a customer with an openid may allow the business's subscribe messages (one per tap).
  const wechatReady =
    isWechatBrowser((await headers()).get("user-agent")) &&
    wechatConfig().official !== null &&
    Boolean(await wechatOpenidOf(getDb(), user.id));
  const wechatOffers = wechatReady
    ? (["booking_confirmed", "reminder"] as const).filter(
        (k) =>
          business.wechatTemplates[k] &&
          (k === "reminder" ? b.status === "confirmed" || b.status === "pending_payment" : b.status === "pending_payment"),
      )
    : [];

  return (
    <div className="mx-auto max-w-lg space-y-5">
      {rescheduled && (
        <p role="status" className="rounded-lg bg-green-50 px-3 py-2 text-sm text-green-800">
          {t("rescheduledNotice")}
        </p>
      )}
      <h1 className="text-2xl font-bold" data-testid="booking-title">
        {t(`titles.${b.status}`)}
      </h1>

      {b.status === "pending_payment" && b.holdExpiresAt && (
        <section className="space-y-3 rounded-xl bg-amber-50 p-4 text-sm text-amber-900" data-testid="payment-due">
          <p>{t("holdUntil", { time: formatDateTime(b.holdExpiresAt, locale, zone, "long") })}</p>
          <HoldCountdown until={b.holdExpiresAt} serverNow={new Date().toISOString()} />
          <Link
            href={`/bookings/${b.id}/pay`}
            className="block rounded-lg bg-brand-600 px-4 py-2.5 text-center font-medium text-white hover:bg-brand-700"
          >
            {t("pay", { amount: formatFen(b.amountDueFen, service.currency) })}
          </Link>
        </section>
      )}

      {b.status === "confirmed" && b.balance.balanceFen > 0 && (
        <section className="space-y-2 rounded-xl bg-amber-50 p-4 text-sm text-amber-900" data-testid="balance-due">
          <p>{t("balanceDue", { amount: formatFen(b.balance.balanceFen, service.currency) })}</p>
          <Link
            href={`/bookings/${b.id}/pay?balance=1`}
            className="block rounded-lg bg-brand-600 px-4 py-2.5 text-center font-medium text-white hover:bg-brand-700"
            data-testid="pay-balance-link"
          >
            {t("payBalance", { amount: formatFen(b.balance.balanceFen, service.currency) })}
          </Link>
        </section>
      )}

      <Voucher booking={b} qrDataUrl={qr} currency={service.currency} business={business} />

      <dl className="divide-y divide-stone-100 rounded-xl border border-stone-200 bg-white px-4 text-sm">
        <div className={row}>
          <dt className="text-stone-500">{t("service")}</dt>
          <dd className="text-right font-medium" data-testid="booking-service">
            {name}
          </dd>
        </div>
        {staff && (
          <div className={row}>
            <dt className="text-stone-500">{t("staffLabel")}</dt>
            <dd className="flex items-center justify-end gap-2 text-right" data-testid="booking-staff">
              <StaffAvatar staff={staff} size={24} />
              <span>
                {staff.name}
                {staff.title && <span className="text-stone-500"> · {staff.title}</span>}
              </span>
            </dd>
          </div>
        )}
        <div className={row}>
          <dt className="text-stone-500">{t("time")}</dt>
          <dd className="text-right" data-testid="booking-time">
            {formatSlotRange(b.startsAt, b.endsAt, zone, locale)}
          </dd>
        </div>
        {(b.seats > 1 || service.capacity > 1) && (
          <div className={row}>
            <dt className="text-stone-500">{t("seats")}</dt>
            <dd>{t("seatsOption", { count: b.seats })}</dd>
          </div>
        )}
        <div className={row}>
          <dt className="text-stone-500">{t("statusLabel")}</dt>
          <dd>
            <StatusBadge status={b.status} />
          </dd>
        </div>
        <div className={row}>
          <dt className="text-stone-500">{t("payment")}</dt>
          <dd className="text-right" data-testid="booking-amount">
            <MoneyLabel money={b.money} currency={service.currency} />
          </dd>
        </div>
        {b.priceFen > 0 && (
          <div className={row}>
            <dt className="text-stone-500">{t("total")}</dt>
            <dd>{formatFen(b.priceFen, service.currency)}</dd>
          </div>
        )}
        {b.balance.paidFen > 0 && (
          <div className={row}>
            <dt className="text-stone-500">{t("paidSoFar")}</dt>
            <dd data-testid="booking-paid">
              {formatFen(b.balance.paidFen, service.currency)}
              {b.balance.refundedFen + b.balance.refundingFen > 0 &&
                ` · ${t("refundedSoFar", { amount: formatFen(b.balance.refundedFen + b.balance.refundingFen, service.currency) })}`}
            </dd>
          </div>
        )}
        {b.balance.balanceFen > 0 && (
          <div className={row}>
            <dt className="text-stone-500">{t("balanceLabel")}</dt>
            <dd data-testid="booking-balance">{formatFen(b.balance.balanceFen, service.currency)}</dd>
          </div>
        )}
        {answers.map(({ def, text }) => (
          <div key={def.key} className={row}>
            <dt className="text-stone-500">{def.label[locale]}</dt>
            <dd className="whitespace-pre-wrap text-right">{text}</dd>
          </div>
        ))}
      </dl>

      {invoicing.amountFen > 0 && (
        <InvoiceRequest
          bookingId={b.id}
          amount={formatFen(invoicing.amountFen, service.currency)}
          invoice={
            invoicing.invoice && {
              kind: invoicing.invoice.kind as "personal" | "company",
              title: invoicing.invoice.title,
              taxNo: invoicing.invoice.taxNo,
              email: invoicing.invoice.email,
              status: invoicing.invoice.status as "requested" | "issued",
              invoiceNo: invoicing.invoice.invoiceNo,
            }
          }
          action={requestInvoiceAction}
        />
      )}
      {(wechatOffers.length > 0 || wechatNotice) && (
        <div className="space-y-2 rounded-lg bg-green-50 p-3 text-sm text-green-800" data-testid="wechat-notice">
          {wechatNotice && <p>{t(wechatNotice === "on" ? "wechatNoticeOn" : "wechatNoticeOff")}</p>}
          {wechatOffers.map((k) => (
            <a
              key={k}
              href={`/api/wechat/subscribe?${new URLSearchParams({ event: k, callbackUrl: `/bookings/${b.id}` })}`}
              className="mr-3 inline-block underline"
            >
              {t(k === "reminder" ? "wechatNotifyReminder" : "wechatNotifyConfirmed")}
            </a>
          ))}
        </div>
      )}

      <div className="flex flex-wrap items-center gap-2 text-sm">
        <Link href="/me" className="rounded-lg border border-stone-300 px-3 py-1.5 hover:border-brand-500 hover:text-brand-700">
          {t("myBookings")}
        </Link>
        <ManageBooking booking={b} timezone={zone} locale={locale} currency={service.currency} action={cancelBookingAction} />
      </div>
    </div>
  );
}
