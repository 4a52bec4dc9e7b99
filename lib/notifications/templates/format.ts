import { DateTime } from "luxon";
import type { Locale } from "@/lib/i18n/config";

/**
 * Formatting shared by the templates. Times are always shown in the business's zone, never the
 * server's: a worker in UTC must still say 14:30 for a 14:30 Shanghai appointment.
 */

function local(at: Date, zone: string, locale: Locale): DateTime {
  const dt = DateTime.fromJSDate(at, { zone }).setLocale(locale);
  if (!dt.isValid) throw new Error(`Cannot format ${at.toISOString()} in time zone ${zone}`);
  return dt;
}

const DAY = { "zh-CN": "M月d日 ccc", en: "ccc, LLL d" } as const;
const TIME = { "zh-CN": "HH:mm", en: "h:mm a" } as const;
const JOIN = { "zh-CN": " ", en: ", " } as const;

/** zh-CN "11月26日 周四 14:30", en "Thu, Nov 26, 2:30 PM". */
export function formatWhen(at: Date, zone: string, locale: Locale): string {
  return local(at, zone, locale).toFormat(`${DAY[locale]}'${JOIN[locale]}'${TIME[locale]}`);
}

/** "11月26日 周四 14:30–15:30"; the end gets its own date when it falls on another day. */
export function formatSpan(start: Date, end: Date, zone: string, locale: Locale): string {
  const from = local(start, zone, locale);
  const to = local(end, zone, locale);
  const sameDay = from.hasSame(to, "day");
  if (locale === "zh-CN") {
    return sameDay
      ? `${formatWhen(start, zone, locale)}–${to.toFormat(TIME[locale])}`
      : `${formatWhen(start, zone, locale)} – ${formatWhen(end, zone, locale)}`;
  }
  return `${formatWhen(start, zone, locale)} – ${sameDay ? to.toFormat(TIME[locale]) : formatWhen(end, zone, locale)}`;
}

/** zh-CN "24 小时后", en "in 24 hours" / "in 1 hour". */
export function formatInHours(hours: number, locale: Locale): string {
  if (locale === "zh-CN") return `${hours} 小时后`;
  return `in ${hours} ${hours === 1 ? "hour" : "hours"}`;
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Every interpolated value in the HTML goes through this, attribute values included. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/** Aliyun caps each template variable at 35 characters (counted as characters, not bytes). */
export const SMS_PARAM_MAX = 35;

/**
 * A value safe for an SMS template variable: one line, no 【】 (the carrier reads them as the
 * signature), at most 35 characters with an ellipsis when cut.
 */
export function smsValue(value: string): string {
  const clean = value
    .replace(/[【】]/g, "")
    .replace(/\s+/g, " ")
    .trim();
  const chars = Array.from(clean);
  return chars.length <= SMS_PARAM_MAX ? clean : `${chars.slice(0, SMS_PARAM_MAX - 1).join("")}…`;
}
