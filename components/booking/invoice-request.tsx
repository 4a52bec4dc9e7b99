"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { ActionForm, type FormAction } from "@/components/dashboard/action-form";
import { inputClass, secondaryButtonClass } from "@/components/dashboard/ui";

export type InvoiceView = {
  kind: "personal" | "company";
  title: string;
  taxNo: string | null;
  email: string | null;
  status: "requested" | "issued";
  invoiceNo: string | null;
};

/** 申请发票 on a paid booking: personal (title) or company (title + tax number), editable until issued. */
export function InvoiceRequest({
  bookingId,
  amount,
  invoice,
  action,
}: {
  bookingId: string;
  amount: string;
  invoice: InvoiceView | null;
  action: FormAction;
}) {
  const t = useTranslations("invoice");
  const [kind, setKind] = useState(invoice?.kind ?? "personal");
  if (invoice?.status === "issued") {
    return (
      <p className="rounded-xl border border-stone-200 bg-white p-4 text-sm" data-testid="invoice-issued">
        {t("issued", { number: invoice.invoiceNo ?? "" })}
      </p>
    );
  }
  return (
    <details className="rounded-xl border border-stone-200 bg-white p-4 text-sm" open={Boolean(invoice)} data-testid="invoice-request">
      <summary className="cursor-pointer font-medium">{invoice ? t("pending") : t("ask", { amount })}</summary>
      <ActionForm
        action={action}
        submitLabel={invoice ? t("update") : t("submit")}
        submitClass={secondaryButtonClass}
        className="mt-3 space-y-2"
        resultTestId="invoice-result"
      >
        <input type="hidden" name="bookingId" value={bookingId} />
        <fieldset className="flex gap-4">
          <legend className="sr-only">{t("kind")}</legend>
          {(["personal", "company"] as const).map((k) => (
            <label key={k} className="flex items-center gap-1">
              <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
              {t(`kinds.${k}`)}
            </label>
          ))}
        </fieldset>
        <label className="block">
          <span className="text-stone-600">{t("title")}</span>
          <input name="title" required maxLength={100} defaultValue={invoice?.title ?? ""} className={`${inputClass} w-full`} />
        </label>
        {kind === "company" && (
          <label className="block">
            <span className="text-stone-600">{t("taxNo")}</span>
            <input name="taxNo" required maxLength={20} defaultValue={invoice?.taxNo ?? ""} className={`${inputClass} w-full uppercase`} />
          </label>
        )}
        <label className="block">
          <span className="text-stone-600">{t("email")}</span>
          <input name="email" type="email" maxLength={200} defaultValue={invoice?.email ?? ""} className={`${inputClass} w-full`} />
        </label>
      </ActionForm>
    </details>
  );
}
