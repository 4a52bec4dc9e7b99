import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { getDb, getReadReplicaDb } from "@/db/client";
import { AppointmentsList } from "@/components/dashboard/appointments-list";
import { OverviewCharts } from "@/components/dashboard/charts";
import { CheckInBox } from "@/components/dashboard/check-in-box";
import { percent, query, serviceLabel } from "@/components/dashboard/format";
import { TodayDesk, type DeskRow } from "@/components/dashboard/today-desk";
import { checkInAction, noShowAction } from "@/lib/dashboard/actions/bookings";
import { Card, PageHeader, inputClass, secondaryButtonClass } from "@/components/dashboard/ui";
import { requireStaffPage } from "@/lib/auth/session";
import { currentBusiness } from "@/lib/business/queries";
import { overviewStats, todaysAppointments, upcomingAppointments } from "@/lib/dashboard/overview-queries";
import { formatFen } from "@/lib/money";
import { rangeFilterSchema } from "@/lib/validations/dashboard";
import { listLabels } from "@/components/dashboard/labels";
import { CalendarFeedPanel } from "@/components/booking/calendar-feed-panel";
import { activeCalendarFeed } from "@/lib/booking/calendar-feeds";
import { createFeedAction, revokeFeedAction } from "@/lib/site/feed-actions";

export const metadata = { title: "管理后台 Dashboard" };

export default async function OverviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireStaffPage("/dashboard");
  const filter = rangeFilterSchema.parse(await searchParams);
  const db = getDb();
  const business = await currentBusiness(db);
  const tz = business.timezone;
  const [t, locale, today, week, stats, labels] = await Promise.all([
    getTranslations("dash.overview"),
    getLocale(),
    todaysAppointments(db, tz),
    upcomingAppointments(db, tz, 7),
    overviewStats(getReadReplicaDb(), tz, filter),
    listLabels(),
  ]);
  const range = { from: stats.range.from, to: stats.range.to };
  const desk: DeskRow[] = today.map((b) => ({
    id: b.id,
    code: b.code,
    status: b.status,
    startsAt: b.startsAt.toISOString(),
    customerName: b.customerName,
    serviceName: serviceLabel(b, locale),
    resourceName: b.resourceName,
    seats: b.seats,
    checkedIn: b.checkedInAt !== null,
    money: b.money,
  }));
  const tiles: [string, string, string][] = [
    [t("tileBookings"), String(stats.totals.bookings), "tile-bookings"],
    [t("tileRevenue"), formatFen(stats.totals.paidFen - stats.totals.refundedFen), "tile-revenue"],
    [t("tileOccupancy"), percent(stats.totals.occupancy), "tile-occupancy"],
    [t("tileNoShow"), percent(stats.totals.noShowRate), "tile-no-show"],
  ];
  return (
    <div className="space-y-5">
      <PageHeader title={t("title")} subtitle={t("welcome", { name: user.name, business: business.name })} testId="dashboard-title" />
      <div className="grid gap-4 lg:grid-cols-[1fr_20rem]">
        <Card title={t("today", { count: today.length })} testId="today-appointments">
          <TodayDesk rows={desk} timezone={tz} now={new Date().toISOString()} checkIn={checkInAction} noShow={noShowAction} />
        </Card>
        <Card title={t("checkIn")}>
          <CheckInBox action={checkInAction} />
        </Card>
      </div>
      <Card title={t("week", { count: week.length })} testId="week-appointments">
        <AppointmentsList rows={week} locale={locale} timezone={tz} style="short" labels={{ ...labels, empty: t("weekEmpty") }} />
      </Card>
      <Card
        title={t("chartsTitle", range)}
        actions={
          <div className="flex flex-wrap gap-2 text-sm">
            <a className={secondaryButtonClass} href={`/dashboard/export/bookings${query(range)}`} data-testid="export-bookings">
              {t("exportBookings")}
            </a>
            <a className={secondaryButtonClass} href={`/dashboard/export/payments${query(range)}`} data-testid="export-payments">
              {t("exportPayments")}
            </a>
          </div>
        }
      >
        <form className="mb-4 flex flex-wrap items-end gap-2" method="get">
          <label className="text-sm">
            {t("from")}
            <input type="date" name="from" defaultValue={range.from} className={inputClass} />
          </label>
          <label className="text-sm">
            {t("to")}
            <input type="date" name="to" defaultValue={range.to} className={inputClass} />
          </label>
          <button className={secondaryButtonClass} type="submit">
            {t("apply")}
          </button>
          <Link prefetch={false} className="text-sm text-brand-600 underline" href="/dashboard">
            {t("reset")}
          </Link>
        </form>
        <dl className="mb-4 grid grid-cols-2 gap-3 sm:grid-cols-4">
          {tiles.map(([label, value, id]) => (
            <div key={id} className="rounded-lg bg-stone-50 p-3" data-testid={id}>
              <dt className="text-xs text-stone-500">{label}</dt>
              <dd className="text-xl font-semibold tabular-nums">{value}</dd>
            </div>
          ))}
        </dl>
        <OverviewCharts days={stats.days} byService={stats.byService} byResource={stats.byResource} />
      </Card>
      <CalendarFeedPanel
        scope="staff"
        active={await activeCalendarFeed(db, user.id, "staff")}
        create={createFeedAction}
        revoke={revokeFeedAction}
      />
    </div>
  );
}
