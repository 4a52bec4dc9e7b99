"use client";

import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useTranslations } from "next-intl";
import { DateTime } from "luxon";
import type { Locale as UiLocale } from "@/lib/i18n/config";
import { formatTime, zoneLabel } from "./format";
import type { LoadSlots, Slot } from "./types";

/** How many days the phone's date strip offers, and how many days one request loads. */
const STRIP_DAYS = 45;
const LOAD_DAYS = 14;

export type SlotPickerProps = {
  serviceId: string;
  timezone: string;
  locale: UiLocale;
  /** Slots the page already loaded, for local dates from..to inclusive; null when it could not. */
  initial: { slots: Slot[]; from: string; to: string } | null;
  initialDate: string;
  loadSlots: LoadSlots;
  /** A slot shown selected on arrival (chosen before signing in, carried back in the URL). */
  initialSelectedId?: string | null;
  /** The booking being rescheduled: its slot is marked, not offered. */
  currentSlotId?: string | null;
  /** A staff member the customer picked (选技师): only their free times are open. */
  staffId?: string | null;
  /** The slots of the chosen day as shown, for the staff picker's counts. */
  onDaySlots?: (date: string, slots: Slot[]) => void;
  children: (ctx: { selected: Slot | null; refresh: () => void }) => ReactNode;
};

const isoDay = (d: DateTime) => d.toISODate() ?? "";

/** A slot as the picked staff member has it: their seats, or not bookable when they are not free. */
function forStaff(s: Slot, staffId: string | null, busyText: string): Slot {
  if (!staffId || !s.staff || s.state !== "open") return s;
  const mine = s.staff.find((m) => m.id === staffId);
  if (mine && mine.remaining > 0) return { ...s, remaining: mine.remaining };
  const message = { "zh-CN": busyText, en: busyText };
  return { ...s, remaining: 0, state: "unavailable", reasons: [{ rule: "staff_busy", message, text: busyText }] };
}

function daysBetween(from: string, to: string, zone: string): string[] {
  const out: string[] = [];
  const end = DateTime.fromISO(to, { zone });
  for (let d = DateTime.fromISO(from, { zone }); d <= end && out.length < 400; d = d.plus({ days: 1 })) out.push(isoDay(d));
  return out;
}

type DayMark = "open" | "none" | "unknown";

/**
 * The customer's slot picker without a calendar library: on a phone a horizontal strip of dates
 * (days with open slots marked) above the chosen day's time buttons; on wider screens a month grid
 * beside the same list. The page renders the first days' slots on the server, later days load on demand.
 * Disabled slots stay selectable so the customer can read why they cannot be booked.
 */
export function SlotPicker({
  serviceId,
  timezone,
  locale,
  initial,
  initialDate,
  initialSelectedId,
  loadSlots,
  currentSlotId,
  staffId,
  onDaySlots,
  children,
}: SlotPickerProps) {
  const t = useTranslations("calendar");
  const staffBusy = useTranslations("booking")("staffBusy");
  const tb = useTranslations("booker");
  const [slots, setSlots] = useState(() => new Map((initial?.slots ?? []).map((s) => [s.id, s])));
  const [loadedDays, setLoadedDays] = useState(() => new Set(initial ? daysBetween(initial.from, initial.to, timezone) : []));
  // Days asked for (loaded or in flight), so re-renders while a request runs do not ask again.
  const [claims] = useState(() => new Set(loadedDays));
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [date, setDate] = useState(initialDate);
  const [month, setMonth] = useState(() => initialDate.slice(0, 7));
  const [selectedId, setSelectedId] = useState<string | null>(initialSelectedId ?? null);
  // The server's HTML shows the first day; taps do something once this has hydrated.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const today = isoDay(DateTime.now().setZone(timezone));
  const loadFailed = t("loadFailed");

  // Slots per local day, sorted; the marks on the strip and the month come from here.
  const shown = useMemo(
    () => new Map([...slots.values()].map((s) => [s.id, forStaff(s, staffId ?? null, staffBusy)])),
    [slots, staffId, staffBusy],
  );
  const byDay = useMemo(() => {
    const map = new Map<string, Slot[]>();
    for (const s of [...shown.values()].sort((a, b) => a.startsAt.localeCompare(b.startsAt))) {
      const day = isoDay(DateTime.fromISO(s.startsAt, { zone: timezone }));
      const list = map.get(day) ?? [];
      list.push(s);
      map.set(day, list);
    }
    return map;
  }, [shown, timezone]);

  const mark = useCallback(
    (day: string): DayMark => {
      if (!loadedDays.has(day)) return "unknown";
      return (byDay.get(day) ?? []).some((s) => s.state === "open" && s.id !== currentSlotId) ? "open" : "none";
    },
    [byDay, currentSlotId, loadedDays],
  );

  const ensureLoaded = useCallback(
    (days: string[]) => {
      const missing = days.filter((d) => d >= today && !claims.has(d));
      const first = missing[0];
      const last = missing.at(-1);
      if (!first || !last) return;
      for (const d of missing) claims.add(d);
      const release = (message: string) => {
        for (const d of missing) claims.delete(d);
        setError(message);
      };
      setError(null);
      loadSlots({ serviceId, from: first, to: last })
        .then((res) => {
          if (!res.ok) return release(res.message);
          setSlots((prev) => {
            const next = new Map(prev);
            for (const s of res.slots) next.set(s.id, s);
            return next;
          });
          setLoadedDays((prev) => new Set([...prev, ...missing]));
        })
        .catch(() => release(loadFailed));
    },
    [claims, today, serviceId, loadSlots, loadFailed],
  );

  // The chosen day and the days after it (the strip), and the month grid's days.
  useEffect(() => {
    const start = DateTime.fromISO(date, { zone: timezone });
    ensureLoaded(daysBetween(date, isoDay(start.plus({ days: LOAD_DAYS - 1 })), timezone));
  }, [date, timezone, ensureLoaded, version]);
  useEffect(() => {
    const first = DateTime.fromISO(`${month}-01`, { zone: timezone });
    ensureLoaded(daysBetween(isoDay(first), isoDay(first.endOf("month")), timezone));
  }, [month, timezone, ensureLoaded, version]);

  const refresh = useCallback(() => {
    claims.clear();
    setLoadedDays(new Set());
    setVersion((v) => v + 1);
  }, [claims]);

  const choose = (day: string) => {
    setDate(day);
    setMonth(day.slice(0, 7));
    setSelectedId(null);
  };

  const now = Date.now();
  const daySlots = (byDay.get(date) ?? []).filter((s) => Date.parse(s.startsAt) > now);
  const selected = selectedId ? (shown.get(selectedId) ?? null) : null;
  const rawDay = byDay.get(date);
  useEffect(() => {
    onDaySlots?.(
      date,
      [...(rawDay ?? [])].map((s) => slots.get(s.id) ?? s),
    );
  }, [date, rawDay, slots, onDaySlots]);
  const nextOpen = [...byDay.keys()].sort().find((d) => d > date && mark(d) === "open");
  const dayLoading = !loadedDays.has(date);

  const stripDays = useMemo(() => {
    const start = DateTime.fromISO(today, { zone: timezone });
    return Array.from({ length: STRIP_DAYS }, (_, i) => start.plus({ days: i }));
  }, [today, timezone]);
  const stripRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    stripRef.current?.querySelector<HTMLElement>('[aria-pressed="true"]')?.scrollIntoView({ block: "nearest", inline: "center" });
  }, [date]);

  const detailsRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (selectedId) detailsRef.current?.scrollIntoView({ behavior: "smooth", block: "nearest" });
  }, [selectedId]);

  const dayLabel = (d: DateTime) => {
    const iso = isoDay(d);
    if (iso === today) return tb("today");
    if (iso === isoDay(DateTime.fromISO(today, { zone: timezone }).plus({ days: 1 }))) return tb("tomorrow");
    return d.setLocale(locale).toFormat("ccc");
  };

  return (
    <div className="space-y-4" data-testid="slot-picker" data-ready={ready ? "true" : "false"}>
      {error && (
        <p role="alert" className="flex items-center gap-2 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
          <button type="button" onClick={refresh} className="underline">
            {t("retry")}
          </button>
        </p>
      )}

      <div className="sm:grid sm:grid-cols-[minmax(0,20rem)_minmax(0,1fr)] sm:gap-6">
        {/* Phone: a horizontal strip of dates. */}
        <div
          ref={stripRef}
          className="relative -mx-4 flex snap-x gap-2 overflow-x-auto px-4 pb-1 sm:hidden"
          role="group"
          aria-label={tb("dates")}
          data-testid="date-strip"
        >
          {stripDays.map((d) => {
            const iso = isoDay(d);
            const m = mark(iso);
            const active = iso === date;
            return (
              <button
                key={iso}
                type="button"
                aria-pressed={active}
                data-date={iso}
                data-mark={m}
                onClick={() => choose(iso)}
                className={`relative flex w-14 shrink-0 snap-start flex-col items-center rounded-xl border py-2 text-sm ${
                  active
                    ? "border-brand-600 bg-brand-600 text-white"
                    : m === "none"
                      ? "border-stone-200 bg-stone-50 text-stone-500"
                      : "border-stone-200 bg-white text-stone-800"
                }`}
              >
                <span className="text-xs">{dayLabel(d)}</span>
                <span className="text-lg font-semibold leading-tight">{d.day}</span>
                <span
                  aria-hidden
                  className={`mt-0.5 h-1.5 w-1.5 rounded-full ${m === "open" ? (active ? "bg-white" : "bg-brand-600") : "bg-transparent"}`}
                />
                <span className="sr-only">{m === "open" ? tb("hasSlots") : m === "none" ? tb("noSlots") : ""}</span>
              </button>
            );
          })}
        </div>

        {/* Wider screens: a month grid. */}
        <MonthGrid
          month={month}
          setMonth={setMonth}
          date={date}
          today={today}
          timezone={timezone}
          locale={locale}
          mark={mark}
          onChoose={choose}
        />

        <div className="mt-4 space-y-3 sm:mt-0">
          <div className="flex items-baseline justify-between gap-2">
            <h3 className="font-semibold" data-testid="picked-date">
              {DateTime.fromISO(date, { zone: timezone })
                .setLocale(locale)
                .toFormat(locale === "en" ? "cccc d MMMM" : "M月d日 cccc")}
            </h3>
            <span className="text-xs text-stone-500">{t("timezoneNote", { zone: zoneLabel(timezone, locale) })}</span>
          </div>
          {daySlots.length > 0 ? (
            <ul className="grid grid-cols-3 gap-2 sm:grid-cols-4" data-testid="time-list">
              {daySlots.map((slot) => {
                const current = slot.id === currentSlotId;
                const open = slot.state === "open" && !current;
                const active = slot.id === selectedId;
                return (
                  <li key={slot.id}>
                    <button
                      type="button"
                      data-slot-id={slot.id}
                      data-state={slot.state}
                      aria-pressed={active}
                      onClick={() => setSelectedId(slot.id)}
                      className={`flex w-full flex-col items-center rounded-lg border px-1 py-2 ${
                        active
                          ? "border-brand-600 bg-brand-600 text-white"
                          : open
                            ? "border-brand-200 bg-white text-stone-900 hover:border-brand-500"
                            : "border-stone-200 bg-stone-100 text-stone-600"
                      }`}
                    >
                      <span className="font-semibold">{formatTime(slot.startsAt, timezone, locale)}</span>
                      <span className="text-xs">
                        {current ? t("current") : open ? t("remaining", { count: slot.remaining }) : t(slot.state)}
                      </span>
                    </button>
                  </li>
                );
              })}
            </ul>
          ) : dayLoading ? (
            <p role="status" className="rounded-lg bg-stone-50 px-3 py-4 text-center text-sm text-stone-500" data-testid="calendar-loading">
              {t("loading")}
            </p>
          ) : (
            <div className="space-y-2 rounded-lg bg-stone-100 px-3 py-4 text-center text-sm text-stone-600" data-testid="calendar-empty">
              <p>{tb("dayEmpty")}</p>
              {nextOpen && (
                <button type="button" onClick={() => choose(nextOpen)} className="font-medium text-brand-700 underline">
                  {tb("nextOpen", {
                    date: DateTime.fromISO(nextOpen, { zone: timezone })
                      .setLocale(locale)
                      .toFormat(locale === "en" ? "ccc d MMM" : "M月d日 ccc"),
                  })}
                </button>
              )}
            </div>
          )}
          <div ref={detailsRef} className="scroll-mt-20">
            {children({ selected, refresh })}
          </div>
        </div>
      </div>
    </div>
  );
}

function MonthGrid({
  month,
  setMonth,
  date,
  today,
  timezone,
  locale,
  mark,
  onChoose,
}: {
  month: string;
  setMonth: (m: string) => void;
  date: string;
  today: string;
  timezone: string;
  locale: UiLocale;
  mark: (day: string) => DayMark;
  onChoose: (day: string) => void;
}) {
  const t = useTranslations("calendar");
  const first = DateTime.fromISO(`${month}-01`, { zone: timezone }).setLocale(locale);
  // Weeks start on Monday.
  const gridStart = first.startOf("week");
  const gridEnd = first.endOf("month").endOf("week");
  const cells = daysBetween(isoDay(gridStart), isoDay(gridEnd), timezone);
  const shift = (n: number) => setMonth(first.plus({ months: n }).toFormat("yyyy-MM"));
  const canGoBack = month > today.slice(0, 7);
  const weekdays = Array.from({ length: 7 }, (_, i) => gridStart.plus({ days: i }).toFormat("ccccc"));
  return (
    <div className="hidden rounded-xl border border-stone-200 bg-white p-3 sm:block" data-testid="month-grid">
      <div className="mb-2 flex items-center justify-between">
        <button
          type="button"
          onClick={() => shift(-1)}
          disabled={!canGoBack}
          className="rounded px-2 py-1 text-stone-600 hover:bg-stone-100 disabled:opacity-30"
          aria-label={t("previous")}
        >
          ‹
        </button>
        <p className="font-semibold">{first.toFormat(locale === "en" ? "MMMM yyyy" : "yyyy年M月")}</p>
        <button
          type="button"
          onClick={() => shift(1)}
          className="rounded px-2 py-1 text-stone-600 hover:bg-stone-100"
          aria-label={t("next")}
        >
          ›
        </button>
      </div>
      <div className="grid grid-cols-7 gap-1 text-center text-xs text-stone-500">
        {weekdays.map((w) => (
          <span key={w}>{w}</span>
        ))}
      </div>
      <div className="mt-1 grid grid-cols-7 gap-1 text-center text-sm">
        {cells.map((iso) => {
          const inMonth = iso.startsWith(month);
          const past = iso < today;
          const m = mark(iso);
          const active = iso === date;
          if (!inMonth) return <span key={iso} />;
          return (
            <button
              key={iso}
              type="button"
              disabled={past}
              aria-pressed={active}
              data-date={iso}
              data-mark={m}
              onClick={() => onChoose(iso)}
              className={`relative rounded-lg py-1.5 ${
                active
                  ? "bg-brand-600 font-semibold text-white"
                  : past
                    ? "text-stone-300"
                    : m === "none"
                      ? "text-stone-500 hover:bg-stone-100"
                      : m === "open"
                        ? "bg-brand-50 font-medium text-brand-800 hover:bg-brand-100"
                        : "text-stone-700 hover:bg-stone-100"
              }`}
            >
              {Number(iso.slice(8))}
            </button>
          );
        })}
      </div>
    </div>
  );
}
