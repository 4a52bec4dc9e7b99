import { DateTime } from "luxon";

export type DayRange = { from: string; to: string; start: Date; end: Date; days: string[] };

/**
 * Local dates `from`..`to` (inclusive, business zone) as instants [start, end). Missing ends
 * default to the `defaultDays` up to today (or from `from`); reversed ends are swapped; the span is
 * capped at `maxDays` so a typo cannot scan years of rows.
 */
export function dayRange(
  input: { from?: string; to?: string },
  timezone: string,
  now: Date = new Date(),
  opts: { defaultDays?: number; maxDays?: number; forward?: boolean } = {},
): DayRange {
  const { defaultDays = 30, maxDays = 366 } = opts;
  const today = DateTime.fromJSDate(now, { zone: timezone }).startOf("day");
  const parse = (s?: string) => (s ? DateTime.fromISO(s, { zone: timezone }) : null);
  let first = parse(input.from);
  let last = parse(input.to);
  if (first && !first.isValid) first = null;
  if (last && !last.isValid) last = null;
  if (!first && !last) {
    if (opts.forward) first = today;
    else last = today;
  }
  if (!first && last) first = last.minus({ days: defaultDays - 1 });
  if (first && !last) last = first.plus({ days: defaultDays - 1 });
  let a = first!;
  let b = last!;
  if (b < a) [a, b] = [b, a];
  if (b.diff(a, "days").days >= maxDays) b = a.plus({ days: maxDays - 1 });
  const days: string[] = [];
  for (let d = a; d <= b; d = d.plus({ days: 1 })) days.push(d.toISODate() ?? "");
  return { from: a.toISODate() ?? "", to: b.toISODate() ?? "", start: a.toJSDate(), end: b.plus({ days: 1 }).toJSDate(), days };
}

/** The local date of an instant, YYYY-MM-DD. */
export const localDay = (at: Date, timezone: string) => DateTime.fromJSDate(at, { zone: timezone }).toISODate() ?? "";
