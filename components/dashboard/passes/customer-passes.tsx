"use client";

import { useTranslations } from "next-intl";
import { formatFen } from "@/lib/money";
import type { PassDto, PassPlanDto } from "@/lib/passes/queries";
import { ActionForm, type FormAction } from "../action-form";
import { compactInputClass, dangerButtonClass, secondaryButtonClass } from "../ui";

type Props = {
  customerId: string;
  passes: (PassDto & { refundFen: number })[];
  plans: PassPlanDto[];
  sell: FormAction;
  adjust: FormAction;
  refund: FormAction;
};

/** A customer's cards on their page: sell one at the desk, grant or adjust with a reason, refund by the stated rule. */
export function CustomerPasses({ customerId, passes, plans, sell, adjust, refund }: Props) {
  const t = useTranslations("dash.passes");
  const tp = useTranslations("passes");
  return (
    <div className="space-y-4">
      <ActionForm action={sell} submitLabel={t("sell")} resetOnSuccess className="flex flex-wrap items-end gap-2" testId="sell-pass">
        <input type="hidden" name="customerId" value={customerId} />
        <select name="planId" required className={`${compactInputClass} w-48`} aria-label={t("plan")}>
          {plans.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} · {formatFen(p.priceFen)}
            </option>
          ))}
        </select>
        <select name="method" className={`${compactInputClass} w-28`} aria-label={t("method")}>
          {(["cash", "card", "other"] as const).map((m) => (
            <option key={m} value={m}>
              {t(`methods.${m}`)}
            </option>
          ))}
        </select>
        <input name="note" placeholder={t("note")} aria-label={t("note")} className={`${compactInputClass} w-40`} />
      </ActionForm>
      {passes.length === 0 ? (
        <p className="text-sm text-stone-500">{t("noPasses")}</p>
      ) : (
        <ul className="space-y-3" data-testid="customer-passes">
          {passes.map((p) => (
            <li key={p.id} className="space-y-2 rounded-lg border border-stone-200 p-3" data-testid="customer-pass">
              <p className="font-medium">
                {p.name} <span className="text-xs text-stone-500">{tp(`states.${p.state}`)}</span>
              </p>
              <p className="text-sm text-stone-600" data-testid="customer-pass-left">
                {p.kind === "visits" && tp("visitsLeft", { count: p.remainingUses ?? 0 })}
                {p.kind === "value" && tp("balance", { amount: formatFen(p.balanceFen ?? 0) })}
                {p.kind === "membership" && tp("discount", { percent: p.discountPercent ?? 0 })}
              </p>
              {p.state !== "refunded" && p.kind !== "membership" && (
                <ActionForm
                  action={adjust}
                  submitLabel={t("adjust")}
                  submitClass={secondaryButtonClass}
                  resetOnSuccess
                  className="flex flex-wrap items-end gap-2"
                >
                  <input type="hidden" name="passId" value={p.id} />
                  {p.kind === "visits" ? (
                    <input
                      name="usesDelta"
                      placeholder={t("usesDelta")}
                      aria-label={t("usesDelta")}
                      className={`${compactInputClass} w-24`}
                    />
                  ) : (
                    <input
                      name="valueDelta"
                      placeholder={t("valueDelta")}
                      aria-label={t("valueDelta")}
                      className={`${compactInputClass} w-28`}
                    />
                  )}
                  <input
                    name="reason"
                    required
                    placeholder={t("reason")}
                    aria-label={t("reason")}
                    className={`${compactInputClass} w-40`}
                  />
                </ActionForm>
              )}
              {p.state !== "refunded" && (
                <ActionForm
                  action={refund}
                  submitLabel={t("refund", { amount: formatFen(p.refundFen) })}
                  submitClass={dangerButtonClass}
                  confirmText={t("refundConfirm", { amount: formatFen(p.refundFen) })}
                  className="flex flex-wrap items-end gap-2"
                >
                  <input type="hidden" name="passId" value={p.id} />
                  <select name="method" className={`${compactInputClass} w-32`} aria-label={t("method")}>
                    {(["original", "cash", "card", "other"] as const).map((m) => (
                      <option key={m} value={m}>
                        {t(`methods.${m}`)}
                      </option>
                    ))}
                  </select>
                  <input
                    name="reason"
                    required
                    placeholder={t("reason")}
                    aria-label={t("reason")}
                    className={`${compactInputClass} w-40`}
                  />
                </ActionForm>
              )}
            </li>
          ))}
        </ul>
      )}
      <p className="text-xs text-stone-500">{t("refundRule")}</p>
    </div>
  );
}
