"use client";

import { DateTime, Settings } from "luxon";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { Calendar, luxonLocalizer, type View } from "react-big-calendar";
import "react-big-calendar/lib/css/react-big-calendar.css";
import { useLocale, useTranslations } from "next-intl";
import { formatDateTime } from "@/components/format";
import { EventPanel } from "./event-panel";
import type { CalEvent, CalResource, ServiceInfo } from "./types";

type RbcEvent = { title: string; start: Date; end: Date; resourceId: string; resource: CalEvent };

function EventView({ event }: { event: RbcEvent }) {
  const e = event.resource;
  return (
    <span
      data-testid="cal-event"
      data-kind={e.kind}
      data-status={e.status}
      data-code={e.kind === "booking" ? e.code : undefined}
      data-booked={e.kind === "class" ? e.booked : undefined}
      data-capacity={e.kind !== "booking" ? e.capacity : undefined}
      className="text-xs leading-tight"
    >
      {event.title}
    </span>
  );
}

const style = (e: CalEvent): React.CSSProperties => {
  if (e.kind === "class") {
    return e.status === "closed" || e.remaining === 0
      ? { background: "#9a3412", border: "none", color: "white" }
      : { background: "#c2410c", border: "2px solid #fdba74", color: "white" };
  }
  if (e.kind === "slot") {
    return e.status === "closed"
      ? { background: "#e7e5e4", color: "#57534e", border: "1px dashed #a8a29e" }
      : { background: "#ecfdf5", color: "#065f46", border: "1px dashed #34d399" };
  }
  // Dark enough for white 12 px text (WCAG AA 4.5:1).
  const bg = { pending_payment: "#b45309", confirmed: "#c2410c", completed: "#0369a1", no_show: "#be123c" }[e.status] ?? "#78716c";
  return { background: bg, border: "none", color: "white" };
};

/**
 * The staff calendar (react-big-calendar, luxon in the business zone). Navigation and filters live in
 * the URL, so the server page loads exactly the visible range; it renders after mount because the
 * time zone is a browser-side luxon setting (the server's must not change). The time grid spans
 * `hours` (the working day widened to every block in view); blocks that overlap sit side by side, so a
 * free slot never hides under a booking; with `resources`, the day view has one column per staff
 * member or room.
 */
export function StaffCalendar({
  events,
  date,
  view,
  timezone,
  services,
  hours,
  resources,
}: {
  events: CalEvent[];
  date: string;
  view: View;
  timezone: string;
  services: ServiceInfo[];
  hours: { min: number; max: number };
  resources?: CalResource[];
}) {
  const t = useTranslations("dash.calendar");
  const locale = useLocale();
  const router = useRouter();
  const params = useSearchParams();
  const [ready, setReady] = useState(false);
  const [selected, setSelected] = useState<CalEvent | null>(null);

  useEffect(() => {
    Settings.defaultZone = timezone;
    setReady(true);
    // Phones start on the day view unless a view was asked for.
    if (!params.get("view") && window.matchMedia("(max-width: 640px)").matches) go({ view: "day" });
    // Once per mount: later URL changes re-render with new props, they do not re-run this.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const localizer = useMemo(() => luxonLocalizer(DateTime, { firstDayOfWeek: 1 }), []);
  const rbcEvents = useMemo<RbcEvent[]>(
    () =>
      events.map((e) => ({
        title: e.title,
        start: new Date(e.start),
        end: new Date(e.end),
        resourceId: e.resourceId ?? "none",
        resource: e,
      })),
    [events],
  );

  function go(change: Record<string, string | undefined>) {
    const next = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(change)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    router.push(`/dashboard/calendar?${next.toString()}`);
  }

  if (!ready) return <div className="h-[640px] animate-pulse rounded-xl bg-stone-100" data-testid="calendar-loading" />;
  const day = DateTime.fromISO(date, { zone: timezone });
  const current = day.toJSDate();
  const min = day.set({ hour: hours.min }).toJSDate();
  const max = hours.max >= 24 ? day.endOf("day").toJSDate() : day.set({ hour: hours.max }).toJSDate();
  const byResource = resources !== undefined;
  return (
    <div className="space-y-3">
      {view === "day" && (
        <div className="flex justify-end">
          <button
            type="button"
            className="rounded-lg border border-stone-300 px-3 py-1 text-sm hover:bg-stone-50"
            data-testid="toggle-by-resource"
            aria-pressed={byResource}
            onClick={() => go({ by: byResource ? undefined : "resource" })}
          >
            {byResource ? t("allInOne") : t("byResource")}
          </button>
        </div>
      )}
      <div className="h-[640px] rounded-xl border border-stone-200 bg-white p-2" data-testid="staff-calendar">
        <Calendar<RbcEvent>
          localizer={localizer}
          culture={locale}
          events={rbcEvents}
          date={current}
          view={view}
          views={["month", "week", "day"]}
          onView={(v) => go({ view: v, by: v === "day" ? (params.get("by") ?? undefined) : undefined })}
          min={min}
          max={max}
          dayLayoutAlgorithm="no-overlap"
          resources={resources}
          onNavigate={(d) => go({ date: DateTime.fromJSDate(d, { zone: timezone }).toISODate() ?? undefined })}
          onSelectEvent={(e) => setSelected(e.resource)}
          eventPropGetter={(e) => ({ style: style(e.resource) })}
          components={{ event: EventView }}
          scrollToTime={day.set({ hour: Math.max(hours.min, Math.min(8, hours.max - 1)) }).toJSDate()}
          step={30}
          timeslots={2}
          formats={{
            dayRangeHeaderFormat: ({ start, end }: { start: Date; end: Date }) =>
              `${formatDateTime(start, locale, timezone, "date")} – ${formatDateTime(end, locale, timezone, "date")}`,
            dayHeaderFormat: (d: Date) => formatDateTime(d, locale, timezone, "date"),
            timeGutterFormat: (d: Date) => formatDateTime(d, locale, timezone, "time"),
          }}
          popup
          messages={{
            today: t("today"),
            previous: t("previous"),
            next: t("next"),
            month: t("month"),
            week: t("week"),
            day: t("day"),
            noEventsInRange: t("noEvents"),
            showMore: (n: number) => t("more", { count: n }),
          }}
        />
      </div>
      {selected && (
        <EventPanel
          event={selected}
          timezone={timezone}
          service={selected.kind !== "booking" ? services.find((s) => s.id === selected.serviceId) : undefined}
          onClose={() => setSelected(null)}
          onBooked={() => router.refresh()}
        />
      )}
    </div>
  );
}
