import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { StaffCalendar } from "@/components/dashboard/calendar/staff-calendar";
import { calendarEvents, calendarResources, hourRange } from "@/components/dashboard/calendar/events";
import type { ServiceInfo } from "@/components/dashboard/calendar/types";
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
  const events = calendarEvents(data, {
    locale,
    showSlots,
    titles: {
      booking: (customer, service) => `${customer} · ${service}`,
      openSlot: (service, remaining, capacity) => t("openSlot", { service, remaining, capacity }),
      closedSlot: (service) => t("closedSlot", { service }),
      classBlock: (service, booked, capacity) => t("classBlock", { service, booked, capacity }),
    },
  });
  const hours = hourRange(events, timezone);
  const byResource = q.view === "day" && q.by === "resource";
  const columns = byResource ? calendarResources(events, resources, t("unassigned")) : undefined;
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
          {q.by && <input type="hidden" name="by" value={q.by} />}
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
      <StaffCalendar
        events={events}
        date={range.date}
        view={q.view}
        timezone={timezone}
        services={infos}
        hours={hours}
        resources={columns}
      />
    </div>
  );
}
