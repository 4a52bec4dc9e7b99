import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { AppointmentsList } from "@/components/dashboard/appointments-list";
import { query, serviceLabel } from "@/components/dashboard/format";
import { listLabels } from "@/components/dashboard/labels";
import { Card, PageHeader, Pager, inputClass, secondaryButtonClass } from "@/components/dashboard/ui";
import { requireStaffPage } from "@/lib/auth/session";
import { currentBusiness } from "@/lib/business/queries";
import { PAGE_SIZE, listBookings } from "@/lib/booking/staff-queries";
import { listResources } from "@/lib/resources/queries";
import { serviceOptions } from "@/lib/services/staff-queries";
import { bookingFilterSchema } from "@/lib/validations/dashboard";

export const metadata = { title: "预约 Bookings" };

export default async function BookingsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireStaffPage("/dashboard/bookings");
  const filter = bookingFilterSchema.parse(await searchParams);
  const db = getDb();
  const { timezone } = await currentBusiness(db);
  const [t, locale, labels, result, services, resources] = await Promise.all([
    getTranslations("dash"),
    getLocale(),
    listLabels(),
    listBookings(db, filter, timezone),
    serviceOptions(db),
    listResources(db),
  ]);
  const { page, ...kept } = filter;
  const statuses = ["pending_payment", "confirmed", "completed", "no_show", "expired", "cancelled"] as const;
  return (
    <div className="space-y-4">
      <PageHeader title={t("bookings.title")} subtitle={t("bookings.count", { count: result.total })} />
      <Card>
        <form method="get" className="grid grid-cols-2 gap-2 sm:grid-cols-4" data-testid="booking-filters">
          <input
            name="q"
            defaultValue={filter.q}
            placeholder={t("bookings.search")}
            className={`${inputClass} col-span-2`}
            aria-label={t("bookings.search")}
          />
          <select name="status" defaultValue={filter.status ?? ""} className={inputClass} aria-label={t("bookings.status")}>
            <option value="">{t("bookings.allStatuses")}</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {labels.status[s]}
              </option>
            ))}
          </select>
          <select name="serviceId" defaultValue={filter.serviceId ?? ""} className={inputClass} aria-label={t("bookings.service")}>
            <option value="">{t("bookings.allServices")}</option>
            {services.map((s) => (
              <option key={s.id} value={s.id}>
                {serviceLabel(s, locale)}
              </option>
            ))}
          </select>
          <select name="resourceId" defaultValue={filter.resourceId ?? ""} className={inputClass} aria-label={t("bookings.resource")}>
            <option value="">{t("bookings.allResources")}</option>
            {resources.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
          <input type="date" name="from" defaultValue={filter.from} className={inputClass} aria-label={t("overview.from")} />
          <input type="date" name="to" defaultValue={filter.to} className={inputClass} aria-label={t("overview.to")} />
          {filter.customerId && <input type="hidden" name="customerId" value={filter.customerId} />}
          <button type="submit" className={secondaryButtonClass}>
            {t("overview.apply")}
          </button>
        </form>
      </Card>
      <Card>
        <AppointmentsList
          rows={result.rows}
          locale={locale}
          timezone={timezone}
          labels={{ ...labels, empty: t("bookings.empty") }}
          style="short"
          testId="bookings-list"
        />
        <Pager
          page={page}
          total={result.total}
          pageSize={PAGE_SIZE}
          href={(p) => `/dashboard/bookings${query({ ...kept, page: p })}`}
          labels={{ prev: t("prev"), next: t("next"), of: t("pageOf", { page, pages: Math.max(1, Math.ceil(result.total / PAGE_SIZE)) }) }}
        />
      </Card>
    </div>
  );
}
