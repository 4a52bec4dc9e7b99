"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import type { PassPlanDto } from "@/lib/passes/queries";
import type { FormAction } from "../action-form";
import { compactInputClass } from "../ui";
import { ActiveBox, RowForm, RowInput, ServicesSelect } from "./row-fields";

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
    <RowForm action={action} editing={Boolean(initial)} id={initial?.id} createLabel={t("createPlan")} testId="plan">
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
      <RowInput name="name" label={t("name")} defaultValue={initial?.name} width="w-40" required />
      <RowInput name="price" label={t("price")} defaultValue={yuan(initial?.priceFen)} width="w-24" />
      {kind === "visits" && <RowInput name="visits" label={t("visits")} defaultValue={initial?.visits ?? ""} width="w-20" />}
      {kind === "value" && <RowInput name="bonus" label={t("bonus")} defaultValue={yuan(initial?.bonusFen)} width="w-24" />}
      {kind === "membership" && (
        <RowInput name="discountPercent" label={t("discountPercent")} defaultValue={initial?.discountPercent ?? ""} width="w-28" />
      )}
      <RowInput name="validDays" label={t("validDays")} defaultValue={initial?.validDays ?? ""} width="w-24" />
      <ServicesSelect services={services} selected={initial?.serviceIds} />
      <ActiveBox checked={initial?.active} label={t("onSale")} />
    </RowForm>
  );
}
