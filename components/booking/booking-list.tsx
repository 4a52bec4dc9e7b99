import type { ReactNode } from "react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import type { BookingView } from "@/lib/booking/queries";
import type { CancelState } from "./cancel-booking";
import { formatSlotRange } from "./format";
import type { Locale } from "@/lib/i18n/config";
import { ManageBooking } from "./manage-booking";
import { MoneyLabel } from "./money-label";
import { StatusBadge } from "./status-badge";

export type ListedBooking = BookingView & { timezone: string; currency: string };

type ItemProps = {
  booking: ListedBooking;
  locale: Locale;
  cancelAction: (prev: CancelState, formData: FormData) => Promise<CancelState>;
};

function BookingItem({ booking: b, locale, cancelAction }: ItemProps) {
  const t = useTranslations("myBookings");
  const name = locale === "en" && b.serviceNameEn ? b.serviceNameEn : b.serviceName;
  return (
    <li className="space-y-3 rounded-xl border border-stone-200 bg-white p-4" data-testid="booking-item" data-booking-id={b.id}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h3 className="font-semibold">{name}</h3>
          <p className="text-sm text-stone-600">{formatSlotRange(b.startsAt, b.endsAt, b.timezone, locale)}</p>
        </div>
        <StatusBadge status={b.status} />
      </div>
      <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-stone-600">
        <span data-testid="booking-item-code" data-code={b.code}>
          {t("code", { code: b.code })}
        </span>
        {b.seats > 1 && <span>{t("seats", { count: b.seats })}</span>}
        <MoneyLabel money={b.money} currency={b.currency} />
      </p>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <Link
          href={`/bookings/${b.id}`}
          className="rounded-lg border border-stone-300 px-3 py-1.5 hover:border-brand-500 hover:text-brand-700"
        >
          {t("details")}
        </Link>
        {b.status === "pending_payment" && (
          <Link href={`/bookings/${b.id}/pay`} className="rounded-lg bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700">
            {t("pay")}
          </Link>
        )}
        <ManageBooking booking={b} timezone={b.timezone} locale={locale} currency={b.currency} action={cancelAction} />
      </div>
    </li>
  );
}

/** One section of "my bookings" with its own empty state. */
export function BookingList({
  title,
  empty,
  bookings,
  locale,
  cancelAction,
  testId,
  children,
}: {
  title: string;
  empty: string;
  bookings: ListedBooking[];
  locale: Locale;
  cancelAction: ItemProps["cancelAction"];
  testId: string;
  children?: ReactNode;
}) {
  return (
    <section className="space-y-3" data-testid={testId} aria-label={title}>
      <h2 className="text-lg font-semibold">{title}</h2>
      {bookings.length === 0 ? (
        <div className="rounded-xl border border-dashed border-stone-300 px-4 py-6 text-center text-sm text-stone-500">
          <p>{empty}</p>
          {children}
        </div>
      ) : (
        <ul className="space-y-3">
          {bookings.map((b) => (
            <BookingItem key={b.id} booking={b} locale={locale} cancelAction={cancelAction} />
          ))}
        </ul>
      )}
    </section>
  );
}
