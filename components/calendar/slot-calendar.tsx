"use client";

import dynamic from "next/dynamic";
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from "react";
import { useTranslations } from "next-intl";
import { DateTime } from "luxon";
import type { View } from "react-big-calendar";
import { formatSlotRange, formatTime, zoneLabel, type UiLocale } from "@/components/booking/format";
import type { LoadSlots, Slot } from "@/components/booking/types";
import type { BigCalendarProps, SlotEvent } from "./big-calendar";

function CalendarSkeleton() {
  const t = useTranslations("calendar");
  return (
    <div
      className="flex h-80 animate-pulse items-center justify-center rounded-xl border border-stone-200 bg-white text-sm text-stone-400"
      role="status"
    >
      {t("loading")}
    </div>
  );
}

// Browser only: the calendar renders in the business zone through luxon's default zone, which must
// never be touched on the server, where it would leak into every request.
const BigCalendar = dynamic<BigCalendarProps>(() => import("./big-calendar"), { ssr: false, loading: () => <CalendarSkeleton /> });

const PHONE_QUERY = "(max-width: 639px)";
function useIsPhone(): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const media = window.matchMedia(PHONE_QUERY);
      media.addEventListener("change", onChange);
      return () => media.removeEventListener("change", onChange);
    },
    () => window.matchMedia(PHONE_QUERY).matches,
    () => false,
  );
}

/** Local dates (business zone) a view shows; weeks start on Monday. */
function visibleDays(view: View, date: string, zone: string): string[] {
  const d = DateTime.fromISO(date, { zone });
  const [from, to] =
    view === "month"
      ? [d.startOf("month").startOf("week"), d.endOf("month").endOf("week")]
      : view === "week"
        ? [d.startOf("week"), d.endOf("week")]
        : view === "day"
          ? [d, d]
          : [d, d.plus({ days: 30 })];
  const out: string[] = [];
  for (let day = from.startOf("day"); day <= to && out.length < 62; day = day.plus({ days: 1 })) out.push(day.toISODate() ?? "");
  return out;
}

export type SlotCalendarProps = {
  serviceId: string;
  timezone: string;
  locale: UiLocale;
  /** Slots the page already loaded, for local dates from..to inclusive; null when it could not. */
  initial: { slots: Slot[]; from: string; to: string } | null;
  initialDate: string;
  loadSlots: LoadSlots;
  /** The booking being rescheduled: its slot is marked, not offered. */
  currentSlotId?: string | null;
  /** A slot to show selected on arrival (the one a visitor chose before signing in). */
  initialSelectedId?: string | null;
  children: (ctx: { selected: Slot | null; refresh: () => void }) => ReactNode;
};

/**
 * A service's slots on react-big-calendar: month, week, day and agenda (the default on phones).
 * Loads the days a view shows through `loadSlots` as the customer navigates; disabled slots stay
 * visible and selectable so the customer can read why they cannot be booked.
 */
export function SlotCalendar({
  serviceId,
  timezone,
  locale,
  initial,
  initialDate,
  loadSlots,
  currentSlotId,
  initialSelectedId,
  children,
}: SlotCalendarProps) {
  const t = useTranslations("calendar");
  const isPhone = useIsPhone();
  const [chosenView, setChosenView] = useState<View | null>(null);
  const view: View = chosenView ?? (isPhone ? "agenda" : "week");
  const [date, setDate] = useState(initialDate);
  const [slots, setSlots] = useState(() => new Map((initial?.slots ?? []).map((s) => [s.id, s])));
  const [loadedDays] = useState(() => new Set(initial ? visibleDaysBetween(initial.from, initial.to, timezone) : []));
  const loaded = useRef(loadedDays);
  const [version, setVersion] = useState(0);
  const [pending, setPending] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(initialSelectedId ?? null);
  const detailsRef = useRef<HTMLDivElement>(null);
  const today = DateTime.now().setZone(timezone).toISODate() ?? initialDate;
  const loadFailed = t("loadFailed");

  useEffect(() => {
    const missing = visibleDays(view, date, timezone).filter((d) => d >= today && !loaded.current.has(d));
    const first = missing[0];
    const last = missing.at(-1);
    if (!first || !last) return;
    // Claimed before the request so re-renders while it runs do not ask again; released on failure.
    for (const d of missing) loaded.current.add(d);
    const release = (message: string) => {
      for (const d of missing) loaded.current.delete(d);
      setError(message);
    };
    setPending((n) => n + 1);
    setError(null);
    loadSlots({ serviceId, from: first, to: last })
      .then((res) => {
        if (!res.ok) return release(res.message);
        setSlots((prev) => {
          const next = new Map(prev);
          for (const s of res.slots) next.set(s.id, s);
          return next;
        });
      })
      .catch(() => release(loadFailed))
      .finally(() => setPending((n) => n - 1));
  }, [view, date, version, timezone, today, serviceId, loadSlots, loadFailed]);

  const refresh = useCallback(() => {
    loaded.current.clear();
    setVersion((v) => v + 1);
  }, []);

  const events = useMemo<SlotEvent[]>(() => {
    const now = Date.now();
    return [...slots.values()]
      .filter((s) => Date.parse(s.startsAt) > now)
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt))
      .map((slot) => {
        const current = slot.id === currentSlotId;
        const title = current ? t("current") : slot.state === "open" ? t("remaining", { count: slot.remaining }) : t(slot.state);
        const range = formatSlotRange(slot.startsAt, slot.endsAt, timezone, locale);
        const tooltip =
          slot.state === "open" ? `${range} · ${title}` : `${range} · ${title}: ${slot.reasons.map((r) => r.text).join("；")}`;
        return {
          slot,
          start: new Date(slot.startsAt),
          end: new Date(slot.endsAt),
          title,
          tooltip,
          time: formatTime(slot.startsAt, timezone, locale),
          current,
        };
      });
  }, [slots, currentSlotId, timezone, locale, t]);

  const [minHour, maxHour] = useMemo(() => {
    if (events.length === 0) return [8, 20];
    let lo = 24;
    let hi = 0;
    for (const e of events) {
      const start = DateTime.fromJSDate(e.start, { zone: timezone });
      const end = DateTime.fromJSDate(e.end, { zone: timezone });
      lo = Math.min(lo, start.hour);
      hi = Math.max(hi, end.hasSame(start, "day") ? end.hour + (end.minute > 0 ? 1 : 0) : 24);
    }
    return [Math.max(0, lo), Math.min(24, Math.max(hi, lo + 1))];
  }, [events, timezone]);

  const shown = useMemo(() => new Set(visibleDays(view, date, timezone)), [view, date, timezone]);
  const emptyView = pending === 0 && !events.some((e) => shown.has(DateTime.fromJSDate(e.start, { zone: timezone }).toISODate() ?? ""));
  const selected = selectedId ? (slots.get(selectedId) ?? null) : null;

  useEffect(() => {
    if (selectedId) detailsRef.current?.scrollIntoView({ behavior: "smooth", block: "nearest" });
  }, [selectedId]);

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-stone-600">
        <span className="inline-flex items-center gap-1">
          <span className="inline-block h-3 w-3 rounded bg-brand-600" aria-hidden /> {t("legendOpen")}
        </span>
        <span className="inline-flex items-center gap-1">
          <span className="inline-block h-3 w-3 rounded bg-stone-300" aria-hidden /> {t("legendDisabled")}
        </span>
        <span className="text-stone-500">{t("timezoneNote", { zone: zoneLabel(timezone, locale) })}</span>
        {pending > 0 && (
          <span role="status" className="text-brand-700" data-testid="calendar-loading">
            {t("loading")}
          </span>
        )}
      </div>
      {error && (
        <p role="alert" className="flex items-center gap-2 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
          <button type="button" onClick={refresh} className="underline">
            {t("retry")}
          </button>
        </p>
      )}
      <div data-testid="slot-calendar" data-view={view}>
        <BigCalendar
          timezone={timezone}
          locale={locale}
          events={events}
          view={view}
          onView={setChosenView}
          date={date}
          onNavigate={setDate}
          selectedId={selectedId}
          onSelect={(slot) => setSelectedId(slot.id)}
          minHour={minHour}
          maxHour={maxHour}
        />
      </div>
      {emptyView && view !== "agenda" && (
        <p className="rounded-lg bg-stone-100 px-3 py-2 text-sm text-stone-600" data-testid="calendar-empty">
          {t("noEvents")}
        </p>
      )}
      <div ref={detailsRef} className="scroll-mt-20">
        {children({ selected, refresh })}
      </div>
    </div>
  );
}

function visibleDaysBetween(from: string, to: string, zone: string): string[] {
  const out: string[] = [];
  const end = DateTime.fromISO(to, { zone });
  for (let d = DateTime.fromISO(from, { zone }); d <= end && out.length < 400; d = d.plus({ days: 1 })) out.push(d.toISODate() ?? "");
  return out;
}
