"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { saveScheduleAction } from "@/lib/dashboard/actions/services";
import { ActionForm } from "../action-form";
import { compactInputClass, inputClass, secondaryButtonClass } from "../ui";

type Range = { start: string; end: string };
export type Weekly = Partial<Record<Day, Range[]>>;
type Day = (typeof DAYS)[number];
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const WEEKDAYS: readonly Day[] = ["mon", "tue", "wed", "thu", "fri"];

export type ScheduleDraft = {
  weeklyHours: Weekly;
  breaks: Weekly;
  dateOverrides: Record<string, Range[]>;
  slotIntervalMin: number;
  windowDays: number;
};

/** A day's time ranges, each removable, with one more to add (hours or breaks). */
export function Ranges({ ranges, onChange, label }: { ranges: Range[]; onChange: (r: Range[]) => void; label: string }) {
  const t = useTranslations("dash.schedule");
  return (
    <div className="flex flex-wrap items-center gap-2">
      {ranges.map((r, i) => (
        <span key={i} className="flex items-center gap-1">
          <input
            type="time"
            aria-label={`${label} ${t("start")}`}
            className={`${compactInputClass} w-28`}
            value={r.start}
            onChange={(e) => onChange(ranges.map((x, j) => (j === i ? { ...x, start: e.target.value } : x)))}
          />
          –
          <input
            type="time"
            aria-label={`${label} ${t("end")}`}
            className={`${compactInputClass} w-28`}
            value={r.end === "24:00" ? "23:59" : r.end}
            onChange={(e) =>
              onChange(ranges.map((x, j) => (j === i ? { ...x, end: e.target.value === "23:59" ? "24:00" : e.target.value } : x)))
            }
          />
          <button
            type="button"
            className="px-1 text-rose-600"
            aria-label={t("remove")}
            onClick={() => onChange(ranges.filter((_, j) => j !== i))}
          >
            ✕
          </button>
        </span>
      ))}
      <button
        type="button"
        className="text-sm text-brand-600 underline"
        onClick={() => onChange([...ranges, { start: "09:00", end: "17:00" }])}
      >
        {t("addRange")}
      </button>
    </div>
  );
}

/** Weekly hours with several ranges a day, breaks, and date overrides ([] = closed, e.g. a holiday). */
export function ScheduleEditor({ serviceId, initial }: { serviceId: string; initial: ScheduleDraft }) {
  const t = useTranslations("dash.schedule");
  const [weekly, setWeekly] = useState<Weekly>(initial.weeklyHours);
  const [breaks, setBreaks] = useState<Weekly>(initial.breaks);
  const [overrides, setOverrides] = useState<Record<string, Range[]>>(initial.dateOverrides);
  const [newDate, setNewDate] = useState("");
  const setDay = (which: "weekly" | "breaks", day: Day, r: Range[]) => {
    const [value, set] = which === "weekly" ? [weekly, setWeekly] : [breaks, setBreaks];
    const next = { ...value };
    if (r.length) next[day] = r;
    else delete next[day];
    set(next);
  };
  /** One day's hours and breaks onto Monday–Friday (the usual first step of a new schedule). */
  const copyToWeekdays = (day: Day) => {
    const hours = weekly[day] ?? [];
    const rest = breaks[day] ?? [];
    const nextWeekly = { ...weekly };
    const nextBreaks = { ...breaks };
    for (const d of WEEKDAYS) {
      if (hours.length) nextWeekly[d] = hours.map((r) => ({ ...r }));
      else delete nextWeekly[d];
      if (rest.length) nextBreaks[d] = rest.map((r) => ({ ...r }));
      else delete nextBreaks[d];
    }
    setWeekly(nextWeekly);
    setBreaks(nextBreaks);
  };
  return (
    <ActionForm
      action={saveScheduleAction}
      submitLabel={t("save")}
      testId="schedule-form"
      resultTestId="schedule-result"
      className="space-y-4"
    >
      <input type="hidden" name="serviceId" value={serviceId} />
      <input type="hidden" name="weeklyHours" value={JSON.stringify(weekly)} />
      <input type="hidden" name="breaks" value={JSON.stringify(breaks)} />
      <input type="hidden" name="dateOverrides" value={JSON.stringify(overrides)} />
      <table className="w-full text-sm">
        <thead>
          <tr className="text-left text-stone-500">
            <th className="w-24 py-1">{t("day")}</th>
            <th>{t("hours")}</th>
            <th className="hidden sm:table-cell">{t("breaks")}</th>
          </tr>
        </thead>
        <tbody>
          {DAYS.map((d) => (
            <tr key={d} className="border-t border-stone-100 align-top" data-testid={`schedule-${d}`}>
              <td className="py-2 font-medium">
                {t(`days.${d}`)}
                {(weekly[d]?.length ?? 0) > 0 && (
                  <button
                    type="button"
                    className="block text-xs font-normal text-brand-600 underline"
                    onClick={() => copyToWeekdays(d)}
                    data-testid={`copy-${d}`}
                  >
                    {t("copyToWeekdays")}
                  </button>
                )}
              </td>
              <td className="py-2">
                <Ranges label={t(`days.${d}`)} ranges={weekly[d] ?? []} onChange={(r) => setDay("weekly", d, r)} />
              </td>
              <td className="hidden py-2 sm:table-cell">
                <Ranges label={`${t(`days.${d}`)} ${t("breaks")}`} ranges={breaks[d] ?? []} onChange={(r) => setDay("breaks", d, r)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <fieldset className="space-y-2 rounded-lg border border-stone-200 p-3">
        <legend className="px-1 text-sm font-medium">{t("overrides")}</legend>
        <p className="text-xs text-stone-500">{t("overridesHint")}</p>
        {Object.entries(overrides)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([date, ranges]) => (
            <div key={date} className="flex flex-wrap items-center gap-2 text-sm" data-testid="override-row">
              <span className="w-28 font-mono">{date}</span>
              {ranges.length === 0 && <span className="text-rose-600">{t("closed")}</span>}
              <Ranges label={date} ranges={ranges} onChange={(r) => setOverrides({ ...overrides, [date]: r })} />
              <button
                type="button"
                className="text-rose-600"
                onClick={() => setOverrides(Object.fromEntries(Object.entries(overrides).filter(([k]) => k !== date)))}
              >
                {t("removeOverride")}
              </button>
            </div>
          ))}
        <div className="flex flex-wrap items-center gap-2">
          <input
            type="date"
            className={`${compactInputClass} w-44`}
            value={newDate}
            onChange={(e) => setNewDate(e.target.value)}
            aria-label={t("overrideDate")}
            data-testid="override-date"
          />
          <button
            type="button"
            className={secondaryButtonClass}
            disabled={!newDate}
            onClick={() => {
              setOverrides({ ...overrides, [newDate]: [] });
              setNewDate("");
            }}
          >
            {t("addHoliday")}
          </button>
          <button
            type="button"
            className={secondaryButtonClass}
            disabled={!newDate}
            data-testid="add-override-hours"
            onClick={() => {
              setOverrides({ ...overrides, [newDate]: [{ start: "00:00", end: "24:00" }] });
              setNewDate("");
            }}
          >
            {t("addSpecialHours")}
          </button>
        </div>
      </fieldset>
      <div className="grid grid-cols-2 gap-3">
        <label className="block text-sm">
          {t("interval")}
          <input type="number" name="slotIntervalMin" min={5} defaultValue={initial.slotIntervalMin} className={inputClass} />
        </label>
        <label className="block text-sm">
          {t("window")}
          <input type="number" name="windowDays" min={1} max={366} defaultValue={initial.windowDays} className={inputClass} />
        </label>
      </div>
    </ActionForm>
  );
}
