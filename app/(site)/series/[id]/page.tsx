import Link from "next/link";
import { redirect } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { formatSlotRange } from "@/components/booking/format";
import { StatusBadge } from "@/components/booking/status-badge";
import { requirePageUser } from "@/lib/auth/session";
import { currentBusiness } from "@/lib/business/queries";
import { getSeriesView } from "@/lib/booking/series-queries";
import { toLocale } from "@/lib/i18n/config";
import { formatFen } from "@/lib/money";

export const metadata = { title: "每周重复预约 Weekly booking" };

/** A series: its weeks, each a booking of its own (cancelled or moved one by one from its page). */
export default async function SeriesDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePageUser(`/series/${id}`);
  if (!z.uuid().safeParse(id).success) redirect("/me");
  const db = getDb();
  const [t, locale, series, business] = [
    await getTranslations("series"),
    toLocale(await getLocale()),
    await getSeriesView(db, id, { id: user.id, role: user.role }),
    await currentBusiness(db),
  ];
  return (
    <div className="mx-auto max-w-lg space-y-4">
      <h1 className="text-2xl font-bold" data-testid="series-title" data-status={series.status}>
        {series.status === "confirmed" ? t("booked") : series.status === "pending_payment" ? t("awaitingPayment") : t("title")}
      </h1>
      <p className="text-stone-600">
        {series.serviceName} · {t("weeksOption", { count: series.bookings.length })}
      </p>
      {series.status === "pending_payment" && (
        <p className="flex flex-wrap items-center gap-3">
          <span>{t("dueTogether", { amount: formatFen(series.amountDueFen) })}</span>
          <Link href={`/series/${id}/pay`} className="rounded-full bg-brand-600 px-4 py-1.5 text-white hover:bg-brand-700">
            {t("pay")}
          </Link>
        </p>
      )}
      <ul className="divide-y divide-stone-100 rounded-xl border border-stone-200 bg-white" data-testid="series-bookings">
        {series.bookings.map((b) => (
          <li key={b.id} className="flex flex-wrap items-center gap-3 px-3 py-2" data-testid="series-booking">
            <Link href={`/bookings/${b.id}`} className="min-w-0 flex-1 underline-offset-2 hover:underline">
              {formatSlotRange(b.startsAt, b.endsAt, business.timezone, locale)}
            </Link>
            <StatusBadge status={b.status} />
          </li>
        ))}
      </ul>
      <Link href="/me" className="text-sm text-brand-600 underline">
        {t("toMyBookings")}
      </Link>
    </div>
  );
}
