"use client";

import "react-big-calendar/lib/css/react-big-calendar.css";
import "./calendar.css";
import { useMemo, type KeyboardEvent } from "react";
import { useTranslations } from "next-intl";
import { DateTime, Settings } from "luxon";
import { Calendar, luxonLocalizer, type EventProps, type Formats, type Messages, type View } from "react-big-calendar";
import type { Locale } from "@/lib/i18n/config";
import type { Slot } from "@/components/booking/types";

export type SlotEvent = {
  slot: Slot;
  start: Date;
  end: Date;
  /** "剩 3 位" / "已约满" … */
  title: string;
  /** Why a disabled slot cannot be booked; the remaining seats for an open one. */
  tooltip: string;
  time: string;
  current: boolean;
};

export type BigCalendarProps = {
  timezone: string;
  locale: Locale;
  events: SlotEvent[];
  view: View;
  onView: (view: View) => void;
  /** Local date (YYYY-MM-DD, business zone) the view shows. */
  date: string;
  onNavigate: (date: string) => void;
  selectedId: string | null;
  onSelect: (slot: Slot) => void;
  minHour: number;
  maxHour: number;
};

const VIEWS: View[] = ["month", "week", "day", "agenda"];

function SlotLabel({ event }: EventProps<SlotEvent>) {
  const { slot } = event;
  return (
    <span
      data-testid="slot"
      data-slot-id={slot.id}
      data-state={slot.state}
      className="flex min-w-0 items-baseline gap-1 truncate text-xs leading-tight"
    >
      <time className="font-semibold tabular-nums">{event.time}</time>
      <span className="truncate">{event.title}</span>
    </span>
  );
}

/**
 * Agenda rows are table cells without keyboard support: a real button makes them reachable. A
 * disabled slot stays pressable (not aria-disabled): pressing it shows why it cannot be booked.
 */
function AgendaSlot({ event }: EventProps<SlotEvent>) {
  const { slot } = event;
  const disabled = slot.state !== "open";
  return (
    <button
      type="button"
      data-testid="slot"
      data-slot-id={slot.id}
      data-state={slot.state}
      aria-label={`${event.time} ${event.title}`}
      title={event.tooltip}
      className="flex w-full flex-col items-start gap-0.5 text-left"
    >
      <span className="font-medium">{event.title}</span>
      {disabled && <span className="text-xs break-words">{slot.reasons[0]?.text}</span>}
    </button>
  );
}

/**
 * react-big-calendar on luxon, rendering every date in the business's zone: luxon's default zone
 * is the business zone while this (browser-only) component is mounted, so the localizer's day
 * boundaries, gutters and labels are the shop's, not the visitor's.
 */
export default function BigCalendar(props: BigCalendarProps) {
  const { timezone, locale } = props;
  const t = useTranslations("calendar");
  const localizer = useMemo(() => {
    Settings.defaultZone = timezone;
    return luxonLocalizer(DateTime, { firstDayOfWeek: 1 });
  }, [timezone]);

  const formats = useMemo<Formats>(() => {
    const f = (d: Date, pattern: string) => DateTime.fromJSDate(d, { zone: timezone }).setLocale(locale).toFormat(pattern);
    const zh = locale === "zh-CN";
    const range =
      (pattern: string) =>
      ({ start, end }: { start: Date; end: Date }) =>
        `${f(start, pattern)} – ${f(end, pattern)}`;
    return {
      dateFormat: "d",
      dayFormat: (d: Date) => f(d, zh ? "M/d EEE" : "EEE d/M"),
      weekdayFormat: (d: Date) => f(d, "EEE"),
      timeGutterFormat: (d: Date) => f(d, "HH:mm"),
      monthHeaderFormat: (d: Date) => f(d, zh ? "yyyy年M月" : "MMMM yyyy"),
      dayHeaderFormat: (d: Date) => f(d, zh ? "M月d日 EEEE" : "EEEE d MMMM"),
      dayRangeHeaderFormat: range(zh ? "M月d日" : "d MMM"),
      agendaHeaderFormat: range(zh ? "M月d日" : "d MMM"),
      agendaDateFormat: (d: Date) => f(d, zh ? "M月d日 EEE" : "EEE d MMM"),
      agendaTimeFormat: (d: Date) => f(d, "HH:mm"),
      agendaTimeRangeFormat: ({ start, end }: { start: Date; end: Date }) => `${f(start, "HH:mm")}–${f(end, "HH:mm")}`,
      // Our event component shows the start time itself; the grid's own label would repeat it.
      eventTimeRangeFormat: () => "",
    };
  }, [timezone, locale]);

  const messages = useMemo<Messages<SlotEvent>>(
    () => ({
      today: t("today"),
      previous: t("previous"),
      next: t("next"),
      month: t("month"),
      week: t("week"),
      day: t("day"),
      agenda: t("agenda"),
      date: t("date"),
      time: t("time"),
      event: t("event"),
      noEventsInRange: t("noEvents"),
      showMore: (count: number) => t("showMore", { count }),
    }),
    [t],
  );

  const date = useMemo(() => DateTime.fromISO(props.date, { zone: timezone }).toJSDate(), [props.date, timezone]);
  const min = DateTime.now().setZone(timezone).set({ hour: props.minHour, minute: 0, second: 0, millisecond: 0 }).toJSDate();
  const max = DateTime.now()
    .setZone(timezone)
    .set(
      props.maxHour >= 24
        ? { hour: 23, minute: 59, second: 0, millisecond: 0 }
        : { hour: props.maxHour, minute: 0, second: 0, millisecond: 0 },
    )
    .toJSDate();
  const select = (event: SlotEvent) => props.onSelect(event.slot);

  return (
    <Calendar<SlotEvent>
      className="yy-calendar"
      localizer={localizer}
      culture={locale}
      events={props.events}
      view={props.view}
      views={VIEWS}
      onView={props.onView}
      date={date}
      onNavigate={(d) => props.onNavigate(DateTime.fromJSDate(d, { zone: timezone }).toISODate() ?? props.date)}
      length={30}
      step={15}
      timeslots={4}
      min={min}
      max={max}
      scrollToTime={min}
      popup
      formats={formats}
      messages={messages}
      tooltipAccessor="tooltip"
      components={{ event: SlotLabel, agenda: { event: AgendaSlot } }}
      eventPropGetter={(event) => ({
        className: [
          "yy-slot",
          event.slot.state === "open" ? "yy-slot-open" : "yy-slot-disabled",
          event.slot.id === props.selectedId ? "yy-slot-selected" : "",
          event.current ? "yy-slot-current" : "",
        ].join(" "),
      })}
      onSelectEvent={select}
      onKeyPressEvent={(event, e) => {
        const key = "key" in e ? (e as KeyboardEvent<HTMLElement>).key : "";
        if (key === "Enter" || key === " ") select(event);
      }}
      style={{ height: props.view === "agenda" ? "auto" : props.view === "month" ? 620 : 680 }}
    />
  );
}
