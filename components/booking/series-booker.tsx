"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import type { Locale } from "@/lib/i18n/config";
import type { BookSeriesState, SeriesPreviewState } from "@/lib/site/series-actions";
import { CustomField } from "./custom-field";
import { formatDate, formatTime } from "./format";
import type { FieldDefinition } from "./types";

type Occurrence = NonNullable<SeriesPreviewState["data"]>["occurrences"][number];

type Props = {
  timeslotId: string;
  fields: FieldDefinition[];
  locale: Locale;
  timezone: string;
  maxCount: number;
  preview: (input: { timeslotId: string; count: number }) => Promise<SeriesPreviewState>;
  book: (prev: BookSeriesState | null, formData: FormData) => Promise<BookSeriesState>;
};

/**
 * 每周重复预约: how many weeks, each week listed with whether it can be had (the unavailable ones
 * unticked, with the reason), then one confirmation for the ticked weeks, all or nothing.
 */
export function SeriesBooker({ timeslotId, fields, locale, timezone, maxCount, preview, book }: Props) {
  const t = useTranslations("series");
  const router = useRouter();
  const [count, setCount] = useState(4);
  const [weeks, setWeeks] = useState<Occurrence[] | null>(null);
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loading, startLoading] = useTransition();
  const [state, dispatch, pending] = useActionState(book, null);
  const [round, setRound] = useState(0);

  useEffect(() => {
    startLoading(async () => {
      const result = await preview({ timeslotId, count });
      if (!result.ok || !result.data) {
        setLoadError(result.message ?? t("previewFailed"));
        return;
      }
      setLoadError(null);
      setWeeks(result.data.occurrences);
      setChosen(new Set(result.data.occurrences.filter((o) => o.available).map((o) => o.index)));
    });
  }, [timeslotId, count, preview, t, round]);

  useEffect(() => {
    if (state?.ok && state.data) router.push(state.data.payable ? `/series/${state.data.seriesId}/pay` : `/series/${state.data.seriesId}`);
    // A week lost since the preview: show the weeks as they are now.
    if (state && !state.ok && state.refused) setRound((r) => r + 1);
  }, [state, router]);

  const toggle = (index: number) =>
    setChosen((prev) => {
      const next = new Set(prev);
      if (next.has(index)) next.delete(index);
      else next.add(index);
      return next;
    });
  const reasonText = (o: Occurrence) =>
    o.reason === "rule" && o.message ? o.message : o.reason ? t(`reason.${o.reason}`) : t("available", { count: o.remaining });

  return (
    <form action={dispatch} className="space-y-4" data-testid="series-booker">
      <input type="hidden" name="timeslotId" value={timeslotId} />
      <input type="hidden" name="count" value={count} />
      {weeks
        ?.filter((o) => !chosen.has(o.index))
        .map((o) => (
          <input key={o.index} type="hidden" name="skip" value={o.index} />
        ))}
      <label className="flex items-center gap-3 text-sm font-medium">
        {t("weeks")}
        <select
          value={count}
          onChange={(e) => setCount(Number(e.target.value))}
          className="rounded-lg border border-stone-300 px-2 py-1.5"
          data-testid="series-count"
        >
          {Array.from({ length: maxCount - 1 }, (_, i) => i + 2).map((n) => (
            <option key={n} value={n}>
              {t("weeksOption", { count: n })}
            </option>
          ))}
        </select>
      </label>
      {loadError && (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
          {loadError}
        </p>
      )}
      <ul className="divide-y divide-stone-100 rounded-xl border border-stone-200 bg-white" aria-busy={loading} data-testid="series-weeks">
        {weeks?.map((o) => (
          <li key={o.index} data-testid="series-week" data-available={o.available} className="flex items-center gap-3 px-3 py-2">
            <input
              type="checkbox"
              id={`week-${o.index}`}
              checked={chosen.has(o.index)}
              disabled={!o.available}
              onChange={() => toggle(o.index)}
              className="size-5"
            />
            <label htmlFor={`week-${o.index}`} className="flex min-w-0 flex-1 flex-wrap items-baseline gap-x-3">
              <span className="font-medium">{t("week", { n: o.index + 1 })}</span>
              <span>
                {formatDate(o.startsAt, timezone, locale)} {formatTime(o.startsAt, timezone, locale)}
              </span>
              <span className={o.available ? "text-sm text-stone-500" : "text-sm text-red-700"} data-testid="series-week-status">
                {reasonText(o)}
              </span>
            </label>
          </li>
        ))}
      </ul>
      {fields.map((def) => (
        <CustomField key={def.key} def={def} locale={locale} errors={state?.fieldErrors?.[`fields.${def.key}`]} />
      ))}
      {state && !state.ok && (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700" data-testid="series-error">
          {state.message}
        </p>
      )}
      <button
        type="submit"
        disabled={pending || loading || chosen.size === 0}
        className="w-full rounded-full bg-brand-600 px-4 py-2.5 font-medium text-white hover:bg-brand-700 disabled:opacity-50"
      >
        {t("confirm", { count: chosen.size })}
      </button>
    </form>
  );
}
