/** Dates for people: in the business's time zone and the reader's language. Works on server and client. */
export function formatDateTime(
  value: Date | string | null | undefined,
  locale: string,
  timezone: string,
  style: "full" | "date" | "time" | "short" = "short",
): string {
  if (!value) return "—";
  const d = typeof value === "string" ? new Date(value) : value;
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

export const percent = (rate: number | null | undefined) =>
  rate === null || rate === undefined ? "—" : `${Math.round(rate * 1000) / 10}%`;

/** The name of a service in the reader's language. */
export const serviceLabel = (
  s: { serviceName?: string; name?: string; serviceNameEn?: string | null; nameEn?: string | null },
  locale: string,
) => (locale === "en" ? (s.serviceNameEn ?? s.nameEn) : null) || s.serviceName || s.name || "";

/** URL query from a filter object, dropping empty values (for links that keep the current filters). */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}
