"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import type { CouponDto } from "@/lib/passes/queries";
import type { FormAction } from "../action-form";
import { compactInputClass } from "../ui";
import { ActiveBox, RowForm, RowInput, ServicesSelect } from "./row-fields";

/** One coupon: code, fixed yuan or percent off, services, limits (total and per customer), last day. */
export function CouponForm({
  initial,
  services,
  action,
}: {
  initial?: CouponDto;
  services: { id: string; name: string }[];
  action: FormAction;
}) {
  const t = useTranslations("dash.passes");
  const [kind, setKind] = useState(initial?.kind ?? "fixed");
  return (
    <RowForm action={action} editing={Boolean(initial)} id={initial?.id} createLabel={t("createCoupon")} testId="coupon">
      <input
        name="code"
        defaultValue={initial?.code}
        required
        placeholder={t("code")}
        aria-label={t("code")}
        className={`${compactInputClass} w-32 font-mono`}
      />
      <select
        name="kind"
        value={kind}
        onChange={(e) => setKind(e.target.value as typeof kind)}
        className={`${compactInputClass} w-28`}
        aria-label={t("couponKind")}
      >
        <option value="fixed">{t("couponKinds.fixed")}</option>
        <option value="percent">{t("couponKinds.percent")}</option>
      </select>
      {kind === "fixed" ? (
        <RowInput name="amount" label={t("amountOff")} defaultValue={initial?.amountFen ? initial.amountFen / 100 : ""} width="w-24" />
      ) : (
        <RowInput name="percent" label={t("percentOff")} defaultValue={initial?.percent ?? ""} width="w-24" />
      )}
      <RowInput name="maxUses" label={t("maxUses")} defaultValue={initial?.maxUses ?? ""} width="w-24" />
      <RowInput name="maxUsesPerCustomer" label={t("maxUsesPerCustomer")} defaultValue={initial?.maxUsesPerCustomer ?? ""} width="w-28" />
      <input
        type="date"
        name="expiresAt"
        defaultValue={initial?.expiresAt?.slice(0, 10) ?? ""}
        aria-label={t("lastDay")}
        className={`${compactInputClass} w-40`}
      />
      <ServicesSelect services={services} selected={initial?.serviceIds} />
      <ActiveBox checked={initial?.active} label={t("active")} />
      {initial && <span className="text-xs text-stone-500">{t("used", { count: initial.usedCount })}</span>}
    </RowForm>
  );
}
