"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import type { PassPlanDto } from "@/lib/passes/queries";
import { ActionForm, type FormAction } from "../action-form";
import { compactInputClass, inputClass, secondaryButtonClass } from "../ui";

const yuan = (fen: number | null | undefined) => (fen ? (fen / 100).toString() : "");

/** One card plan: kind, name, price (yuan), visits / bonus / discount, services, validity, on sale. */
export function PlanForm({
  initial,
  services,
  action,
}: {
  initial?: PassPlanDto;
  services: { id: string; name: string }[];
  action: FormAction;
}) {
  const t = useTranslations("dash.passes");
  const [kind, setKind] = useState(initial?.kind ?? "visits");
  return (
    <ActionForm
      action={action}
      submitLabel={initial ? t("save") : t("createPlan")}
      submitClass={initial ? secondaryButtonClass : undefined}
      resetOnSuccess={!initial}
      className="flex flex-wrap items-end gap-2"
      testId={initial ? "plan-row" : "plan-new"}
    >
      <input type="hidden" name="id" value={initial?.id ?? ""} />
      <select
        name="kind"
        value={kind}
        onChange={(e) => setKind(e.target.value as typeof kind)}
        className={`${compactInputClass} w-28`}
        aria-label={t("kind")}
      >
        {(["visits", "value", "membership"] as const).map((k) => (
          <option key={k} value={k}>
            {t(`kinds.${k}`)}
          </option>
        ))}
      </select>
      <input
        name="name"
        defaultValue={initial?.name}
        required
        placeholder={t("name")}
        aria-label={t("name")}
        className={`${compactInputClass} w-40`}
      />
      <input
        name="price"
        defaultValue={yuan(initial?.priceFen)}
        placeholder={t("price")}
        aria-label={t("price")}
        className={`${compactInputClass} w-24`}
      />
      {kind === "visits" && (
        <input
          name="visits"
          defaultValue={initial?.visits ?? ""}
          placeholder={t("visits")}
          aria-label={t("visits")}
          className={`${compactInputClass} w-20`}
        />
      )}
      {kind === "value" && (
        <input
          name="bonus"
          defaultValue={yuan(initial?.bonusFen)}
          placeholder={t("bonus")}
          aria-label={t("bonus")}
          className={`${compactInputClass} w-24`}
        />
      )}
      {kind === "membership" && (
        <input
          name="discountPercent"
          defaultValue={initial?.discountPercent ?? ""}
          placeholder={t("discountPercent")}
          aria-label={t("discountPercent")}
          className={`${compactInputClass} w-28`}
        />
      )}
      <input
        name="validDays"
        defaultValue={initial?.validDays ?? ""}
        placeholder={t("validDays")}
        aria-label={t("validDays")}
        className={`${compactInputClass} w-24`}
      />
      <select
        name="serviceIds"
        multiple
        defaultValue={initial?.serviceIds ?? []}
        aria-label={t("services")}
        title={t("servicesHint")}
        className={`${inputClass} h-16 max-w-56`}
      >
        {services.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      <label className="flex items-center gap-1 text-sm">
        <input type="checkbox" name="active" defaultChecked={initial?.active ?? true} />
        {t("onSale")}
      </label>
    </ActionForm>
  );
}
