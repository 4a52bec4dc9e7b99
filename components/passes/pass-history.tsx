import { getTranslations } from "next-intl/server";
import { formatDateTime } from "@/components/format";
import { formatFen } from "@/lib/money";
import type { PassHistoryRow } from "@/lib/passes/queries";

/** A card's movements (sale, use by a booking, return, grant, adjustment, refund), newest first. */
export async function PassHistory({ rows, locale, timezone }: { rows: PassHistoryRow[]; locale: string; timezone: string }) {
  const t = await getTranslations("passes");
  if (rows.length === 0) return <p className="text-sm text-stone-500">{t("noHistory")}</p>;
  const change = (r: PassHistoryRow) =>
    [
      r.usesDelta !== 0 ? t("uses", { count: r.usesDelta }) : null,
      r.valueDeltaFen !== 0 ? `${r.valueDeltaFen > 0 ? "+" : "−"}${formatFen(Math.abs(r.valueDeltaFen))}` : null,
      r.discountFen !== 0 ? t("saved", { amount: formatFen(r.discountFen) }) : null,
    ]
      .filter(Boolean)
      .join(" · ");
  return (
    <ul className="divide-y divide-stone-100 text-sm" data-testid="pass-history">
      {rows.map((r) => (
        <li key={r.id} className="flex flex-wrap justify-between gap-2 py-2" data-testid="pass-history-row">
          <span>
            <span className="font-medium">{t(`moves.${r.kind}`)}</span> · {r.passName}
            {r.bookingCode && <span className="font-mono text-stone-500"> · {r.bookingCode}</span>}
            {r.reason && <span className="text-stone-500"> · {r.reason}</span>}
          </span>
          <span className="text-stone-600">
            {change(r)} · {formatDateTime(r.createdAt, locale, timezone)}
          </span>
        </li>
      ))}
    </ul>
  );
}
