import { getTranslations } from "next-intl/server";
import { formatDateTime } from "@/components/format";
import { formatFen } from "@/lib/money";
import type { PassSaleRow } from "@/lib/passes/queries";

/** Card sales for the ledger: when, what, who bought, how it was paid (desk method or gateway), who sold it. */
export async function PassSales({ rows, locale, timezone }: { rows: PassSaleRow[]; locale: string; timezone: string }) {
  const t = await getTranslations("dash.passes");
  const byMethod = new Map<string, number>();
  for (const r of rows) byMethod.set(r.method ?? "", (byMethod.get(r.method ?? "") ?? 0) + r.amountFen - r.refundedFen);
  return (
    <div className="space-y-2">
      <p className="text-sm text-stone-600" data-testid="pass-sales-totals">
        {[...byMethod].map(([m, fen]) => `${t.has(`methods.${m}`) ? t(`methods.${m}`) : m} ${formatFen(fen)}`).join(" · ")}
      </p>
      <div className="overflow-x-auto">
        <table className="w-full text-sm">
          <thead className="text-left text-stone-500">
            <tr>
              <th className="py-1 pr-2">{t("when")}</th>
              <th className="py-1 pr-2">{t("plan")}</th>
              <th className="py-1 pr-2">{t("customer")}</th>
              <th className="py-1 pr-2">{t("method")}</th>
              <th className="py-1 pr-2">{t("amount")}</th>
              <th className="py-1 pr-2">{t("soldBy")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className="border-t border-stone-100" data-testid="pass-sale">
                <td className="py-1 pr-2">{formatDateTime(r.paidAt ?? r.createdAt, locale, timezone)}</td>
                <td className="py-1 pr-2">{r.planName}</td>
                <td className="py-1 pr-2">{r.customerName}</td>
                <td className="py-1 pr-2">{r.method && t.has(`methods.${r.method}`) ? t(`methods.${r.method}`) : r.method}</td>
                <td className="py-1 pr-2">
                  {formatFen(r.amountFen)}
                  {r.refundedFen > 0 && <span className="text-rose-700"> −{formatFen(r.refundedFen)}</span>}
                </td>
                <td className="py-1 pr-2">{r.soldByName ?? t("online")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
