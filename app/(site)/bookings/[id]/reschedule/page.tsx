import type { Locale } from "@/lib/i18n/config";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { formatSlotRange } from "@/components/booking/format";
import { ReschedulePanel } from "@/components/booking/reschedule-panel";
import { requirePageUser } from "@/lib/auth/session";
import { toLocale } from "@/lib/i18n/config";
import { loadSlotsAction } from "@/lib/site/booking-actions";
import { initialSlots } from "@/lib/site/initial-slots";
import { loadBooking } from "@/lib/site/load-booking";
import { rescheduleAction } from "./actions";

export const metadata = { title: "改期 Reschedule" };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ date?: string | string[] }> };

export default async function ReschedulePage({ params, searchParams }: Props) {
  const { id } = await params;
  const { date } = await searchParams;
  const user = await requirePageUser(`/bookings/${id}/reschedule`);
  const { view: b, service, business } = await loadBooking(id, user);
  const [t, localeRaw] = await Promise.all([getTranslations("myBookings"), getLocale()]);
  const locale = toLocale(localeRaw);
  const name = locale === "en" && service.nameEn ? service.nameEn : service.name;
  const movable = b.cancellation?.allowed === true;

  return (
    <div className="space-y-5">
      <Link href={`/bookings/${b.id}`} className="text-sm text-stone-500 hover:text-brand-600">
        ← {t("backToBooking")}
      </Link>
      <h1 className="text-2xl font-bold">{t("rescheduleTitle", { service: name })}</h1>
      <p className="rounded-lg bg-stone-100 px-3 py-2 text-sm" data-testid="current-slot">
        {t("rescheduleCurrent")}：{formatSlotRange(b.startsAt, b.endsAt, business.timezone, locale)}
      </p>
      {movable ? (
        <RescheduleCalendar
          bookingId={b.id}
          serviceId={b.serviceId}
          currentSlotId={b.timeslotId}
          locale={locale}
          date={typeof date === "string" ? date : undefined}
        />
      ) : (
        <p role="alert" className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {b.cancellation ? t("pastDeadline") : t("rescheduleNotAllowed")}
        </p>
      )}
    </div>
  );
}

type CalendarProps = { bookingId: string; serviceId: string; currentSlotId: string; locale: Locale; date?: string };

async function RescheduleCalendar(props: CalendarProps) {
  // The booking being moved does not count against the customer's own limits.
  const slots = await initialSlots(props.serviceId, props.date, props.bookingId);
  async function loadSlotsExcluding(input: { serviceId: string; from: string; to: string }) {
    "use server";
    return loadSlotsAction({ ...input, excludeBookingId: props.bookingId });
  }
  return (
    <>
      {slots.error && (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
          {slots.error}
        </p>
      )}
      <ReschedulePanel
        bookingId={props.bookingId}
        serviceId={props.serviceId}
        currentSlotId={props.currentSlotId}
        timezone={slots.zone}
        locale={props.locale}
        initial={slots.initial}
        initialDate={slots.date}
        loadSlots={loadSlotsExcluding}
        action={rescheduleAction}
      />
    </>
  );
}
