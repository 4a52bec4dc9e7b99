import Link from "next/link";
import { useTranslations } from "next-intl";
import { hasRefundable } from "@/lib/booking/money-status";
import type { BookingView } from "@/lib/booking/queries";
import { CancelBooking, type CancelState } from "./cancel-booking";
import type { Locale } from "@/lib/i18n/config";

type Props = {
  booking: Pick<BookingView, "id" | "status" | "cancellation" | "money">;
  timezone: string;
  locale: Locale;
  currency: string;
  action: (prev: CancelState, formData: FormData) => Promise<CancelState>;
};

/** Reschedule (while the policy still allows changes) and cancel: on a booking's page and in "my bookings". */
export function ManageBooking({ booking: b, timezone, locale, currency, action }: Props) {
  const t = useTranslations("myBookings");
  if (!b.cancellation) return null;
  return (
    <>
      {b.cancellation.allowed && (
        <Link
          href={`/bookings/${b.id}/reschedule`}
          className="rounded-lg border border-stone-300 px-3 py-1.5 hover:border-brand-500 hover:text-brand-700"
        >
          {t("reschedule")}
        </Link>
      )}
      <CancelBooking
        bookingId={b.id}
        unpaid={b.status === "pending_payment"}
        quoteRefund={hasRefundable(b.money)}
        cancellation={b.cancellation}
        timezone={timezone}
        locale={locale}
        currency={currency}
        action={action}
      />
    </>
  );
}
