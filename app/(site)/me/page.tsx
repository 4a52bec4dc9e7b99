import { Suspense } from "react";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { BookingList, type ListedBooking } from "@/components/booking/booking-list";
import { WaitlistList } from "@/components/booking/waitlist-list";
import { CalendarFeedPanel } from "@/components/booking/calendar-feed-panel";
import { activeCalendarFeed } from "@/lib/booking/calendar-feeds";
import { createFeedAction, revokeFeedAction } from "@/lib/site/feed-actions";
import { requirePageUser } from "@/lib/auth/session";
import { loadSlotContext } from "@/lib/booking/context";
import { listCustomerBookings } from "@/lib/booking/queries";
import { listMyWaitlist } from "@/lib/booking/waitlist";
import { currentBusiness } from "@/lib/business/queries";
import { toLocale } from "@/lib/i18n/config";
import { cancelBookingAction } from "@/lib/site/cancel-action";

export const metadata = { title: "我的预约 My bookings" };

/** Bookings with the zone and currency of their business, so times and amounts read as the shop states them. */
async function myBookings(customerId: string): Promise<ListedBooking[]> {
  const db = getDb();
  const list = await listCustomerBookings(db, customerId);
  const perService = new Map<string, Promise<{ timezone: string; currency: string }>>();
  for (const b of list) {
    if (!perService.has(b.serviceId)) {
      perService.set(
        b.serviceId,
        loadSlotContext(db, b.timeslotId).then((ctx) => ({ timezone: ctx.business.timezone, currency: ctx.service.currency })),
      );
    }
  }
  return Promise.all(list.map(async (b) => ({ ...b, ...(await perService.get(b.serviceId)!) })));
}

async function MyBookings({ customerId }: { customerId: string }) {
  const [t, locale, bookings, waitlist, timezone] = await Promise.all([
    getTranslations("myBookings"),
    getLocale(),
    myBookings(customerId),
    listMyWaitlist(getDb(), customerId),
    currentBusiness(getDb()).then(
      (b) => b.timezone,
      () => "Asia/Shanghai",
    ),
  ]);
  const now = Date.now();
  const isUpcoming = (b: ListedBooking) => b.cancellation !== null && Date.parse(b.endsAt) > now;
  const upcoming = bookings.filter(isUpcoming).sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const past = bookings.filter((b) => !isUpcoming(b));
  return (
    <div className="space-y-8">
      <WaitlistList
        entries={waitlist.filter((e) => e.status === "waiting" || e.status === "offered")}
        timezone={timezone}
        locale={toLocale(locale)}
      />
      <BookingList
        title={t("upcoming")}
        empty={t("empty")}
        bookings={upcoming}
        locale={toLocale(locale)}
        cancelAction={cancelBookingAction}
        testId="upcoming-bookings"
      >
        <Link href="/services" className="mt-3 inline-block rounded-full bg-brand-600 px-4 py-1.5 text-white hover:bg-brand-700">
          {t("browse")}
        </Link>
      </BookingList>
      <BookingList
        title={t("past")}
        empty={t("emptyPast")}
        bookings={past}
        locale={toLocale(locale)}
        cancelAction={cancelBookingAction}
        testId="past-bookings"
      />
    </div>
  );
}

function BookingsSkeleton() {
  return (
    <div className="space-y-3" role="status" aria-busy="true">
      <div className="h-6 w-32 animate-pulse rounded bg-stone-200" />
      {[0, 1].map((i) => (
        <div key={i} className="h-28 animate-pulse rounded-xl border border-stone-200 bg-white" />
      ))}
    </div>
  );
}

export default async function MePage() {
  const user = await requirePageUser("/me");
  const t = await getTranslations();
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-bold">{t("myBookings.title")}</h1>
        <p data-testid="me-greeting">{t("me.hello", { name: user.name })}</p>
        <p className="text-sm text-stone-600" data-testid="me-role">
          {t("me.role", { role: t(`roles.${user.role}`) })}
        </p>
        <Link href="/me/passes" className="inline-block text-sm text-brand-600 underline" data-testid="me-passes-link">
          {t("passes.myCards")}
        </Link>
      </div>
      <Suspense fallback={<BookingsSkeleton />}>
        <MyBookings customerId={user.id} />
      </Suspense>
      <CalendarFeedPanel
        scope="customer"
        active={await activeCalendarFeed(getDb(), user.id, "customer")}
        create={createFeedAction}
        revoke={revokeFeedAction}
      />
    </div>
  );
}
