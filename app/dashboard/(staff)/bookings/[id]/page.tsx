import Link from "next/link";
import { readStoredText } from "@/lib/i18n/error-text";
import { toLocale } from "@/lib/i18n/config";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { BookingActions } from "@/components/dashboard/bookings/booking-actions";
import { BookingHistory } from "@/components/dashboard/bookings/booking-history";
import { WaitlistQueue } from "@/components/dashboard/bookings/waitlist-queue";
import { ActionForm } from "@/components/dashboard/action-form";
import { MoneyLabel } from "@/components/booking/money-label";
import { serviceLabel } from "@/components/dashboard/format";
import { formatDateTime } from "@/components/format";
import { listLabels } from "@/components/dashboard/labels";
import { Badge, Card, Facts, PageHeader } from "@/components/dashboard/ui";
import { requireStaffPage } from "@/lib/auth/session";
import { currentBusiness } from "@/lib/business/queries";
import { getBookingDetail } from "@/lib/booking/staff-detail";
import { noShowForgivenAt } from "@/lib/booking/no-show";
import { listSlotQueue } from "@/lib/booking/waitlist";
import { forgiveNoShowAction, moveWaitlistAction } from "@/lib/dashboard/actions/waitlist";
import { isAppError } from "@/lib/errors";
import { formatFen } from "@/lib/money";
import { bookingCharge } from "@/lib/passes/queries";
import { recordPiiView, revealedFields } from "@/lib/pii/reveal";

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
  const viewer = await requireStaffPage(`/dashboard/bookings/${id}`);
  if (!z.uuid().safeParse(id).success) notFound();
  const db = getDb();
  const detail = await getBookingDetail(db, id).catch((e) => {
    if (isAppError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  });
  await recordPiiView(db, {
    viewerId: viewer.id,
    entityType: "booking",
    entityId: detail.booking.id,
    fields: revealedFields({ phone: detail.customer.phone, fields: detail.booking.fields }),
    via: "dashboard",
  });
  const b = detail.booking;
  const [{ timezone }, t, locale, labels, queue, forgivenAt, charge, tp] = await Promise.all([
    currentBusiness(db),
    getTranslations("dash"),
    getLocale(),
    listLabels(),
    listSlotQueue(db, b.timeslotId),
    b.status === "no_show" ? noShowForgivenAt(db, b.id) : null,
    bookingCharge(db, id),
    getTranslations("passes"),
  ]);
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
                ...(b.priceFen > 0
                  ? [
                      [
                        t("booking.ledger"),
                        <span key="l" data-testid="booking-ledger">
                          {t("booking.ledgerLine", {
                            paid: formatFen(b.balance.paidFen),
                            refunded: formatFen(b.balance.refundedFen + b.balance.refundingFen),
                          })}
                        </span>,
                      ] as [string, React.ReactNode],
                      [
                        t("booking.balance"),
                        <span key="bal" data-testid="booking-balance" data-balance-fen={b.balance.balanceFen}>
                          {formatFen(b.balance.balanceFen)}
                        </span>,
                      ] as [string, React.ReactNode],
                    ]
                  : []),
                // What a card and a coupon took (returned when the booking is cancelled or its hold expires).
                ...(charge.pass
                  ? [
                      [
                        tp("paidWith"),
                        [
                          charge.pass.passName,
                          charge.pass.uses ? tp("uses", { count: -charge.pass.uses }) : null,
                          charge.pass.valueFen ? formatFen(-charge.pass.valueFen) : null,
                          charge.pass.discountFen ? tp("saved", { amount: formatFen(charge.pass.discountFen) }) : null,
                        ]
                          .filter(Boolean)
                          .join(" · "),
                      ] as [string, string],
                    ]
                  : []),
                ...(charge.coupon
                  ? [
                      [tp("coupon"), `${charge.coupon.code} · ${tp("saved", { amount: formatFen(charge.coupon.discountFen) })}`] as [
                        string,
                        string,
                      ],
                    ]
                  : []),
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
        <div className="space-y-4 self-start">
          <Card title={t("booking.actions")} testId="booking-actions">
            <BookingActions
              booking={{ id: b.id, code: b.code, status: b.status, checkedInAt: b.checkedInAt, startsAt: b.startsAt }}
              quote={detail.quote}
              rescheduleOptions={detail.rescheduleOptions}
              refundableFen={detail.refundableFen}
              balanceFen={b.balance.balanceFen}
              deskRefunds={detail.refunds
                .filter((r) => r.method && r.status === "pending")
                .map((r) => ({ id: r.id, amountFen: r.amountFen, method: r.method }))}
              timezone={timezone}
            />
            {b.status === "no_show" &&
              (forgivenAt ? (
                <p className="mt-3 text-sm text-stone-600" data-testid="no-show-forgiven">
                  {t("waitlist.forgivenAt", { time: formatDateTime(forgivenAt, locale, timezone, "full") })}
                </p>
              ) : (
                <ActionForm
                  action={forgiveNoShowAction}
                  submitLabel={t("waitlist.forgive")}
                  className="mt-3 space-y-2"
                  testId="forgive-no-show"
                >
                  <input type="hidden" name="bookingId" value={b.id} />
                  <p className="text-xs text-stone-500">{t("waitlist.forgiveHint")}</p>
                </ActionForm>
              ))}
          </Card>
          <Card title={t("waitlist.title")} testId="slot-waitlist">
            <WaitlistQueue bookingId={b.id} entries={queue} move={moveWaitlistAction} />
          </Card>
        </div>
      </div>
    </div>
  );
}
