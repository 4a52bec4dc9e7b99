import { DateTime } from "luxon";
import type { Locale } from "@/lib/i18n/config";

/**
 * Times are always shown in the business's time zone, whatever zone the browser or server runs in:
 * a customer in another city books the shop's 10:00, not their own.
 */
const at = (iso: string, zone: string, locale: Locale) => DateTime.fromISO(iso, { zone }).setLocale(locale);

const DATE_FORMAT: Record<Locale, string> = { "zh-CN": "yyyy年M月d日 EEE", en: "EEE d MMM yyyy" };

export const formatDate = (iso: string, zone: string, locale: Locale) => at(iso, zone, locale).toFormat(DATE_FORMAT[locale]);

export const formatTime = (iso: string, zone: string, locale: Locale) => at(iso, zone, locale).toFormat("HH:mm");

/** "2025年6月3日 周二 10:00–10:20"; the end gets its own date only when the slot crosses midnight. */
export function formatSlotRange(startIso: string, endIso: string, zone: string, locale: Locale): string {
  const start = at(startIso, zone, locale);
  const end = at(endIso, zone, locale);
  const endText = start.hasSame(end, "day") ? end.toFormat("HH:mm") : `${end.toFormat(DATE_FORMAT[locale])} ${end.toFormat("HH:mm")}`;
  return `${start.toFormat(DATE_FORMAT[locale])} ${start.toFormat("HH:mm")}–${endText}`;
}

/** A zone's short name for people ("GMT+8" / "Asia/Shanghai" style), shown next to times. */
export const zoneLabel = (zone: string, locale: Locale) => `${zone} (${DateTime.now().setZone(zone).setLocale(locale).toFormat("ZZZZ")})`;
