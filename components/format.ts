import { formatDate, formatTime } from "./booking/format";

/**
 * The one date-time formatter for people: in the business's time zone and the reader's language, on server and client.
 * "long" is the customer site's "2025年6月3日 周二 10:00" / "Tue 3 Jun 2025 10:00"; the others are the dashboard's compact forms.
 */
export function formatDateTime(
  value: Date | string | null | undefined,
  locale: string,
  timezone: string,
  style: "long" | "full" | "date" | "time" | "short" = "short",
): string {
  if (!value) return "—";
  const d = typeof value === "string" ? new Date(value) : value;
  if (style === "long") {
    const iso = d.toISOString();
    const ui = locale === "en" ? "en" : "zh-CN";
    return `${formatDate(iso, timezone, ui)} ${formatTime(iso, timezone, ui)}`;
  }
  const opts: Intl.DateTimeFormatOptions =
    style === "date"
      ? { year: "numeric", month: "2-digit", day: "2-digit", weekday: "short" }
      : style === "time"
        ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }
        : style === "full"
          ? { year: "numeric", month: "2-digit", day: "2-digit", weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }
          : { month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  return new Intl.DateTimeFormat(locale, { ...opts, timeZone: timezone }).format(d);
}
