import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { StaffCalendar } from "@/components/dashboard/calendar/staff-calendar";
import type { CalEvent, ServiceInfo } from "@/components/dashboard/calendar/types";
import { serviceLabel } from "@/components/dashboard/format";
import { Card, PageHeader, inputClass, secondaryButtonClass } from "@/components/dashboard/ui";
import { requireStaffPage } from "@/lib/auth/session";
import { parseFieldDefinitions } from "@/lib/booking/fields";
import { currentBusiness } from "@/lib/business/queries";
import { calendarData, calendarRange } from "@/lib/booking/calendar";
import { listResources } from "@/lib/resources/queries";
import { listServicesForStaff } from "@/lib/services/staff-queries";
import { calendarQuerySchema } from "@/lib/validations/dashboard";

export const metadata = { title: "日历 Calendar" };

const safeFields = (raw: unknown) => {
  try {
    return parseFieldDefinitions(raw);
  } catch {
    return [];
  }
};

export default async function CalendarPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireStaffPage("/dashboard/calendar");
  const raw = await searchParams;
  const q = calendarQuerySchema.parse(raw);
  // Open slots of every service at once bury the bookings: shown for one service, or when asked for.
  const showSlots = raw.slots === "1" || (raw.slots !== "0" && q.serviceId !== undefined);
  const db = getDb();
  const { timezone } = await currentBusiness(db);
  const range = calendarRange(q.date, q.view, timezone);
  const [t, locale, data, services, resources] = await Promise.all([
    getTranslations("dash.calendar"),
    getLocale(),
    calendarData(db, { start: range.start, end: range.end, serviceId: q.serviceId, resourceId: q.resourceId }),
    listServicesForStaff(db),
    listResources(db),
  ]);
  const events: CalEvent[] = [
    ...data.bookings.map((b): CalEvent => ({
      kind: "booking",
      id: b.id,
      title: `${b.customerName} · ${serviceLabel(b, locale)}`,
      start: b.startsAt.toISOString(),
      end: b.endsAt.toISOString(),
      status: b.status,
      code: b.code,
      customerName: b.customerName,
      customerPhone: b.customerPhone,
      serviceName: serviceLabel(b, locale),
      resourceName: b.resourceName,
      seats: b.seats,
      checkedIn: b.checkedInAt !== null,
    })),
    ...(showSlots ? data.slots : [])
      .filter((s) => s.status === "closed" || s.bookedCount < s.capacity)
      .map((s): CalEvent => ({
        kind: "slot",
        id: s.id,
        start: s.startsAt.toISOString(),
        end: s.endsAt.toISOString(),
        status: s.status,
        serviceId: s.serviceId,
        serviceName: serviceLabel(s, locale),
        remaining: s.capacity - s.bookedCount,
        capacity: s.capacity,
        title:
          s.status === "closed"
            ? t("closedSlot", { service: serviceLabel(s, locale) })
            : t("openSlot", { service: serviceLabel(s, locale), remaining: s.capacity - s.bookedCount, capacity: s.capacity }),
      })),
  ];
  const infos: ServiceInfo[] = services.map((s) => ({
    id: s.id,
    name: serviceLabel(s, locale),
    capacity: s.capacity,
    fields: safeFields(s.fields),
  }));
  return (
    <div className="space-y-4">
      <PageHeader title={t("title")} subtitle={t("subtitle", { bookings: data.bookings.length })} />
      <Card>
        <form method="get" className="grid grid-cols-2 gap-2 sm:grid-cols-5" data-testid="calendar-filters">
          <input type="hidden" name="view" value={q.view} />
          <input type="date" name="date" defaultValue={range.date} className={inputClass} aria-label={t("date")} />
          <select name="serviceId" defaultValue={q.serviceId ?? ""} className={inputClass} aria-label={t("service")}>
            <option value="">{t("allServices")}</option>
            {services.map((s) => (
              <option key={s.id} value={s.id}>
                {serviceLabel(s, locale)}
              </option>
            ))}
          </select>
          <select name="resourceId" defaultValue={q.resourceId ?? ""} className={inputClass} aria-label={t("resource")}>
            <option value="">{t("allResources")}</option>
            {resources.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
          <select
            name="slots"
            defaultValue={raw.slots === "1" || raw.slots === "0" ? raw.slots : ""}
            className={inputClass}
            aria-label={t("slots")}
          >
            <option value="">{t("slotsAuto")}</option>
            <option value="1">{t("showSlots")}</option>
            <option value="0">{t("hideSlots")}</option>
          </select>
          <button type="submit" className={secondaryButtonClass}>
            {t("apply")}
          </button>
        </form>
      </Card>
      <StaffCalendar events={events} date={range.date} view={q.view} timezone={timezone} services={infos} />
    </div>
  );
}
