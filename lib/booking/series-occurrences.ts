import { DateTime } from "luxon";

/**
 * The starts of a weekly series: the first slot's local weekday and wall-clock time, `count` weeks
 * running, in the business's time zone (a DST change keeps 19:00 at 19:00, not the UTC instant).
 */
export function weeklyStarts(first: Date, count: number, zone: string): Date[] {
  const start = DateTime.fromJSDate(first, { zone });
  return Array.from({ length: count }, (_, i) => start.plus({ weeks: i }).toJSDate());
}
