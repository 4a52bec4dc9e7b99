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
