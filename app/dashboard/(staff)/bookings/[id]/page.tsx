import Link from "next/link";
import { readStoredText } from "@/lib/i18n/error-text";
import { toLocale } from "@/lib/i18n/config";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { BookingActions } from "@/components/dashboard/bookings/booking-actions";
import { BookingHistory } from "@/components/dashboard/bookings/booking-history";
import { MoneyLabel } from "@/components/booking/money-label";
import { serviceLabel } from "@/components/dashboard/format";
import { formatDateTime } from "@/components/format";
import { listLabels } from "@/components/dashboard/labels";
import { Badge, Card, Facts, PageHeader } from "@/components/dashboard/ui";
import { requireStaffPage } from "@/lib/auth/session";
import { currentBusiness } from "@/lib/business/queries";
import { getBookingDetail } from "@/lib/booking/staff-detail";
import { isAppError } from "@/lib/errors";
import { formatFen } from "@/lib/money";

export const metadata = { title: "预约详情 Booking" };

function answer(value: unknown, options?: { value: string; label: Record<string, string> }[], locale = "zh-CN"): string {
  const label = (v: unknown) => options?.find((o) => o.value === v)?.label[locale] ?? String(v);
  if (value === undefined || value === null || value === "") return "—";
  if (Array.isArray(value)) return value.map(label).join(", ");
  if (typeof value === "boolean") return value ? "✓" : "✗";
  return label(value);
}

export default async function BookingPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireStaffPage(`/dashboard/bookings/${id}`);
  if (!z.uuid().safeParse(id).success) notFound();
  const db = getDb();
  const detail = await getBookingDetail(db, id).catch((e) => {
    if (isAppError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  });
  const [{ timezone }, t, locale, labels] = await Promise.all([currentBusiness(db), getTranslations("dash"), getLocale(), listLabels()]);
  const b = detail.booking;
  const lang = toLocale(locale);
  return (
    <div className="space-y-4">
      <PageHeader
        title={`${serviceLabel(b, locale)} · ${formatDateTime(b.startsAt, locale, timezone, "full")}`}
        subtitle={t("booking.codeLine", { code: b.code })}
        testId="booking-title"
        actions={<Badge value={b.status} label={labels.status[b.status] ?? b.status} testId="booking-status" />}
      />
      <div className="grid gap-4 lg:grid-cols-[1fr_22rem]">
        <div className="space-y-4">
          <Card title={t("booking.details")}>
            <Facts
              items={[
                [
                  t("booking.customer"),
                  <Link prefetch={false} key="c" className="text-brand-600 underline" href={`/dashboard/customers/${detail.customer.id}`}>
                    {detail.customer.name}
                  </Link>,
                ],
                [t("booking.contact"), [detail.customer.phone, detail.customer.email].filter(Boolean).join(" · ") || "—"],
                [t("booking.groups"), detail.customer.groups.join(", ") || "—"],
                [
                  t("booking.time"),
                  `${formatDateTime(b.startsAt, locale, timezone, "full")} – ${formatDateTime(b.endsAt, locale, timezone, "time")}`,
                ],
                [t("booking.resource"), b.resourceName ?? "—"],
                [t("booking.seats"), String(b.seats)],
                [t("booking.price"), b.priceFen > 0 ? formatFen(b.priceFen) : <MoneyLabel key="p" money={b.money} />],
                ...(b.priceFen > 0 ? [[t("booking.money"), <MoneyLabel key="m" money={b.money} />] as [string, React.ReactNode]] : []),
                [t("booking.checkedIn"), b.checkedInAt ? formatDateTime(b.checkedInAt, locale, timezone, "full") : "—"],
                [t("booking.created"), formatDateTime(b.createdAt, locale, timezone, "full")],
                ...(b.cancelReason ? [[t("booking.cancelReason"), readStoredText(lang, b.cancelReason)] as [string, string]] : []),
                ...(b.rescheduledFromId
                  ? [
                      [
                        t("booking.rescheduledFrom"),
                        <Link
                          prefetch={false}
                          key="r"
                          className="text-brand-600 underline"
                          href={`/dashboard/bookings/${b.rescheduledFromId}`}
                        >
                          {t("booking.previous")}
                        </Link>,
                      ] as [string, React.ReactNode],
                    ]
                  : []),
              ]}
            />
          </Card>
          <Card title={t("booking.answers")} testId="booking-answers">
            {detail.fields.length === 0 ? (
              <p className="text-sm text-stone-500">{t("booking.noFields")}</p>
            ) : (
              <Facts items={detail.fields.map((f) => [f.label[lang], answer(b.fields[f.key], f.options, lang)])} />
            )}
          </Card>
          <BookingHistory detail={detail} locale={locale} timezone={timezone} />
        </div>
        <Card title={t("booking.actions")} testId="booking-actions" className="self-start">
          <BookingActions
            booking={{ id: b.id, code: b.code, status: b.status, checkedInAt: b.checkedInAt, startsAt: b.startsAt }}
            quote={detail.quote}
            rescheduleOptions={detail.rescheduleOptions}
            refundableFen={detail.refundableFen}
            timezone={timezone}
          />
        </Card>
      </div>
    </div>
  );
}
