import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { formatDateTime } from "@/components/format";
import { Badge, Card, EmptyState, PageHeader } from "@/components/dashboard/ui";
import { ResolveDifference, RunReconciliation } from "@/components/dashboard/payments/reconciliation-forms";
import { requireStaffPage } from "@/lib/auth/session";
import { currentBusiness } from "@/lib/business/queries";
import { formatFen } from "@/lib/money";
import { yesterdayInChina } from "@/lib/payments/bill-reconciliation";
import { listReconciliationRuns, reconciliationRun } from "@/lib/payments/reconciliation-queries";
import { z } from "zod";
import { resolveDifferenceAction, runReconciliationAction } from "./actions";

export async function generateMetadata() {
  return { title: (await getTranslations("dash.reconciliation"))("title") };
}

const selectedSchema = z.object({ run: z.uuid().optional().catch(undefined) });
const fen = (v: number | null | undefined) => (v === null || v === undefined ? "—" : formatFen(v));

/** 对账: each gateway's daily bill against the ledger, its differences and how each was settled. */
export default async function ReconciliationPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireStaffPage("/dashboard/payments/reconciliation");
  const db = getDb();
  const [{ timezone }, t, locale, runs] = await Promise.all([
    currentBusiness(db),
    getTranslations("dash.reconciliation"),
    getLocale(),
    listReconciliationRuns(db),
  ]);
  const { run: selectedId } = selectedSchema.parse(await searchParams);
  const selected = await reconciliationRun(db, selectedId ?? runs[0]?.id ?? "00000000-0000-0000-0000-000000000000");
  return (
    <div className="space-y-4">
      <PageHeader
        title={t("title")}
        subtitle={t("subtitle")}
        actions={
          <Link prefetch={false} href="/dashboard/payments" className="text-sm text-brand-600 underline">
            {t("backToPayments")}
          </Link>
        }
      />
      <Card>
        <RunReconciliation action={runReconciliationAction} defaultDate={yesterdayInChina()} />
      </Card>
      <Card title={t("days")}>
        {runs.length === 0 ? (
          <EmptyState>{t("empty")}</EmptyState>
        ) : (
          <ul className="divide-y divide-stone-100 text-sm" data-testid="reconciliation-runs">
            {runs.map((r) => (
              <li
                key={r.id}
                className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2"
                data-testid="reconciliation-run"
                data-run-id={r.id}
              >
                <Link prefetch={false} href={`?run=${r.id}`} className="font-medium text-brand-600 underline">
                  {r.billDate}
                </Link>
                <span>{t(`gateways.${r.gateway === "wechat" ? "wechat" : "alipay"}`)}</span>
                <Badge value={r.status} label={t(`status.${r.status as "matched"}`)} testId="run-status" />
                {r.gatewayTotals && (
                  <span className="tabular-nums text-stone-600">
                    {t("billTotals", {
                      paid: fen(r.gatewayTotals.paidFen),
                      refunded: fen(r.gatewayTotals.refundedFen),
                      fee: fen(r.gatewayTotals.feeFen),
                    })}
                  </span>
                )}
                {r.error && <span className="basis-full text-xs text-rose-700">{r.error}</span>}
              </li>
            ))}
          </ul>
        )}
      </Card>
      {selected && (
        <Card
          title={t("dayTitle", {
            date: selected.run.billDate,
            gateway: t(`gateways.${selected.run.gateway === "wechat" ? "wechat" : "alipay"}`),
          })}
          testId="reconciliation-detail"
        >
          <dl className="mb-3 grid grid-cols-2 gap-3 sm:grid-cols-4">
            {(
              [
                ["billPaid", selected.run.gatewayTotals?.paidFen],
                ["ledgerPaid", selected.run.ledgerTotals?.paidFen],
                ["billRefunded", selected.run.gatewayTotals?.refundedFen],
                ["ledgerRefunded", selected.run.ledgerTotals?.refundedFen],
                ["fees", selected.run.gatewayTotals?.feeFen],
                ["explained", (selected.run.ledgerTotals?.explainedPaidFen ?? 0) - (selected.run.ledgerTotals?.explainedRefundedFen ?? 0)],
              ] as const
            ).map(([key, value]) => (
              <div key={key} className="rounded-xl border border-stone-200 bg-white p-3" data-testid={`recon-${key}`}>
                <dt className="text-xs text-stone-500">{t(`totals.${key}`)}</dt>
                <dd className="text-lg font-semibold tabular-nums">{fen(value)}</dd>
              </div>
            ))}
          </dl>
          {selected.items.length === 0 ? (
            <EmptyState>{t("noDifferences")}</EmptyState>
          ) : (
            <ul className="divide-y divide-stone-100 text-sm" data-testid="reconciliation-items">
              {selected.items.map(({ item, resolverName }) => (
                <li
                  key={item.id}
                  className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2"
                  data-testid="reconciliation-item"
                  data-kind={item.kind}
                >
                  <span className="font-medium">{t(`kinds.${item.kind as "lost_notice"}`)}</span>
                  <span className="font-mono text-xs">{item.outRefundNo ?? item.outTradeNo}</span>
                  <span className="tabular-nums">{t("amounts", { gateway: fen(item.gatewayFen), ledger: fen(item.ledgerFen) })}</span>
                  <Badge
                    value={item.status === "open" ? "differences" : "resolved"}
                    label={item.status === "open" ? t("open") : t(`resolutions.${item.resolution as "confirmed"}`)}
                    testId="item-status"
                  />
                  {item.resolvedAt && (
                    <span className="text-xs text-stone-500">
                      {[resolverName, item.note, formatDateTime(item.resolvedAt, locale, timezone)].filter(Boolean).join(" · ")}
                    </span>
                  )}
                  {item.status === "open" && user.role === "admin" && (
                    <ResolveDifference
                      action={resolveDifferenceAction}
                      itemId={item.id}
                      canAccept={item.kind.endsWith("amount_mismatch")}
                    />
                  )}
                </li>
              ))}
            </ul>
          )}
        </Card>
      )}
    </div>
  );
}
