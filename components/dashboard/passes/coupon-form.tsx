"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import type { CouponDto } from "@/lib/passes/queries";
import { ActionForm, type FormAction } from "../action-form";
import { compactInputClass, inputClass, secondaryButtonClass } from "../ui";

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
    <ActionForm
      action={action}
      submitLabel={initial ? t("save") : t("createCoupon")}
      submitClass={initial ? secondaryButtonClass : undefined}
      resetOnSuccess={!initial}
      className="flex flex-wrap items-end gap-2"
      testId={initial ? "coupon-row" : "coupon-new"}
    >
      <input type="hidden" name="id" value={initial?.id ?? ""} />
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
        <input
          name="amount"
          defaultValue={initial?.amountFen ? initial.amountFen / 100 : ""}
          placeholder={t("amountOff")}
          aria-label={t("amountOff")}
          className={`${compactInputClass} w-24`}
        />
      ) : (
        <input
          name="percent"
          defaultValue={initial?.percent ?? ""}
          placeholder={t("percentOff")}
          aria-label={t("percentOff")}
          className={`${compactInputClass} w-24`}
        />
      )}
      <input
        name="maxUses"
        defaultValue={initial?.maxUses ?? ""}
        placeholder={t("maxUses")}
        aria-label={t("maxUses")}
        className={`${compactInputClass} w-24`}
      />
      <input
        name="maxUsesPerCustomer"
        defaultValue={initial?.maxUsesPerCustomer ?? ""}
        placeholder={t("maxUsesPerCustomer")}
        aria-label={t("maxUsesPerCustomer")}
        className={`${compactInputClass} w-28`}
      />
      <input
        type="date"
        name="expiresAt"
        defaultValue={initial?.expiresAt?.slice(0, 10) ?? ""}
        aria-label={t("lastDay")}
        className={`${compactInputClass} w-40`}
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
        {t("active")}
      </label>
      {initial && <span className="text-xs text-stone-500">{t("used", { count: initial.usedCount })}</span>}
    </ActionForm>
  );
}
