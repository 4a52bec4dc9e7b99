"use client";

import { useTranslations } from "next-intl";
import { ActionForm, type FormAction } from "../action-form";
import { inputClass, secondaryButtonClass } from "../ui";

export function MarkInvoiceIssued({ action, invoiceId }: { action: FormAction; invoiceId: string }) {
  const t = useTranslations("dash.invoices");
  return (
    <ActionForm
      action={action}
      submitLabel={t("markIssued")}
      submitClass={secondaryButtonClass}
      className="flex items-center gap-2"
      testId="mark-invoice-issued"
      resultTestId="invoice-issued-result"
    >
      <input type="hidden" name="invoiceId" value={invoiceId} />
      <input name="invoiceNo" required maxLength={40} className={inputClass} placeholder={t("invoiceNo")} aria-label={t("invoiceNo")} />
    </ActionForm>
  );
}
