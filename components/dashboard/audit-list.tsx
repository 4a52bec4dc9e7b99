import { toLocale } from "@/lib/i18n/config";
import { readStoredText } from "@/lib/i18n/error-text";
import type { AuditView } from "@/lib/booking/staff-detail";
import { formatDateTime } from "@/components/format";
import { EmptyState } from "./ui";

/** Audit entries: when, who, what, why, and the recorded data (compact JSON). */
export function AuditList({
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
  return (
    <ol className="space-y-2 text-sm" data-testid="audit-list">
      {rows.map((a) => (
        <li key={a.id} className="rounded-lg bg-stone-50 px-3 py-2" data-action={a.action}>
          <div className="flex flex-wrap items-baseline gap-x-2">
            <span className="font-mono text-xs text-stone-500">{formatDateTime(a.createdAt, locale, timezone, "full")}</span>
            <span className="font-medium">{a.action}</span>
            <span className="text-stone-600">{a.actorName ?? a.actorLabel ?? "system"}</span>
            {showEntity && (
              <span className="font-mono text-xs text-stone-400">
                {a.entityType}:{a.entityId.slice(0, 8)}
              </span>
            )}
          </div>
          {a.reason && <p className="text-stone-700">“{readStoredText(toLocale(locale), a.reason)}”</p>}
          {Object.keys(a.data).length > 0 && <p className="break-all font-mono text-xs text-stone-500">{JSON.stringify(a.data)}</p>}
        </li>
      ))}
    </ol>
  );
}
