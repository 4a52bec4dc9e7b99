"use client";

import { useTranslations } from "next-intl";
import { ActionForm, type FormAction } from "../action-form";
import { inputClass, secondaryButtonClass } from "../ui";

/** Run one gateway's day now (the job runs yesterday's at 10:00). */
export function RunReconciliation({ action, defaultDate }: { action: FormAction; defaultDate: string }) {
  const t = useTranslations("dash.reconciliation");
  return (
    <ActionForm
      action={action}
      submitLabel={t("runNow")}
      className="flex flex-wrap items-end gap-2"
      testId="run-reconciliation"
      resultTestId="run-result"
    >
      <label className="text-sm">
        <span className="block text-xs text-stone-500">{t("gateway")}</span>
        <select name="gateway" className={inputClass} defaultValue="alipay">
          <option value="alipay">{t("gateways.alipay")}</option>
          <option value="wechat">{t("gateways.wechat")}</option>
        </select>
      </label>
      <label className="text-sm">
        <span className="block text-xs text-stone-500">{t("date")}</span>
        <input type="date" name="date" className={inputClass} defaultValue={defaultDate} required />
      </label>
    </ActionForm>
  );
}

/** Settle one open difference: accept the gateway's amount (mismatches only) or explain it. */
export function ResolveDifference({ action, itemId, canAccept }: { action: FormAction; itemId: string; canAccept: boolean }) {
  const t = useTranslations("dash.reconciliation");
  return (
    <ActionForm
      action={action}
      submitLabel={t("resolve")}
      submitClass={secondaryButtonClass}
      className="flex basis-full flex-wrap items-center gap-2"
      testId="resolve-difference"
      resultTestId="resolve-result"
    >
      <input type="hidden" name="itemId" value={itemId} />
      <select name="action" className={inputClass} aria-label={t("resolution")} defaultValue={canAccept ? "accept_gateway" : "explain"}>
        {canAccept && <option value="accept_gateway">{t("actions.accept_gateway")}</option>}
        <option value="explain">{t("actions.explain")}</option>
      </select>
      <input
        name="note"
        required
        maxLength={300}
        className={`${inputClass} min-w-48 flex-1`}
        placeholder={t("note")}
        aria-label={t("note")}
      />
    </ActionForm>
  );
}
