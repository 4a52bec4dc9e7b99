import { getTranslations } from "next-intl/server";
import { toLocale } from "@/lib/i18n/config";
import { readStoredText } from "@/lib/i18n/error-text";
import type { AuditView } from "@/lib/booking/staff-detail";
import { formatFen } from "@/lib/money";
import { formatDateTime } from "@/components/format";
import { EmptyState } from "./ui";

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** One recorded value for people: money in yuan, instants in the business zone, lists and pairs spelled out. */
function readable(key: string, value: unknown, locale: string, timezone: string): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "number" && /Fen$/.test(key)) return formatFen(value);
  if (typeof value === "string" && ISO_INSTANT.test(value)) return formatDateTime(value, locale, timezone, "full");
  if (typeof value === "boolean") return value ? "✓" : "✗";
  if (Array.isArray(value)) return value.length === 0 ? "—" : value.map((v) => readable(key, v, locale, timezone)).join(", ");
  if (typeof value === "object") {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 2 && "before" in o && "after" in o) {
      return `${readable(key, o.before, locale, timezone)} → ${readable(key, o.after, locale, timezone)}`;
    }
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${readable(k, v, locale, timezone)}`)
      .join(" · ");
  }
  return String(value);
}

/**
 * Audit entries: when, who, what (in words, with the recorded action code beside it), why, and the
 * recorded data as labelled values instead of raw JSON.
 */
export async function AuditList({
  rows,
  locale,
  timezone,
  emptyText,
  showEntity = false,
}: {
  rows: AuditView[];
  locale: string;
  timezone: string;
  emptyText: string;
  showEntity?: boolean;
}) {
  if (rows.length === 0) return <EmptyState>{emptyText}</EmptyState>;
  const t = await getTranslations("dash.audit");
  const label = (group: "actions" | "fields", key: string) => {
    const path = `${group}.${key.replaceAll(".", "_")}`;
    return t.has(path) ? t(path) : key;
  };
  return (
    <ol className="space-y-2 text-sm" data-testid="audit-list">
      {rows.map((a) => (
        <li key={a.id} className="rounded-lg bg-stone-50 px-3 py-2" data-action={a.action}>
          <div className="flex flex-wrap items-baseline gap-x-2">
            <span className="font-mono text-xs text-stone-500">{formatDateTime(a.createdAt, locale, timezone, "full")}</span>
            <span className="font-medium">{label("actions", a.action)}</span>
            <span className="text-stone-600">{a.actorName ?? a.actorLabel ?? t("system")}</span>
            {showEntity && (
              <span className="font-mono text-xs text-stone-500">
                {a.entityType}:{a.entityId.slice(0, 8)}
              </span>
            )}
          </div>
          {a.reason && <p className="text-stone-700">“{readStoredText(toLocale(locale), a.reason)}”</p>}
          {Object.keys(a.data).length > 0 && (
            <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs" data-testid="audit-data">
              {Object.entries(a.data).map(([k, v]) => (
                <div key={k} className="contents">
                  <dt className="text-stone-500">{label("fields", k)}</dt>
                  <dd className="break-all text-stone-700">
                    {k === "changed" && Array.isArray(v)
                      ? v.map((f) => label("fields", String(f))).join(", ")
                      : readable(k, v, locale, timezone)}
                  </dd>
                </div>
              ))}
            </dl>
          )}
        </li>
      ))}
    </ol>
  );
}
