"use client";

import { useTranslations } from "next-intl";
import { compactInputClass, inputClass, secondaryButtonClass } from "../ui";

export type PolicyJson = Record<string, unknown>;
type Tier = { minHoursBefore: number; percent: number };

const NUMBER_KEYS = [
  "minNoticeMin",
  "maxAdvanceDays",
  "cancelDeadlineHours",
  "businessCancelRefundPercent",
  "holdMinutes",
  "maxActiveBookingsPerCustomer",
  "maxBookingsPerCustomerPerDay",
] as const;
const NULLABLE = new Set(["maxActiveBookingsPerCustomer", "maxBookingsPerCustomerPerDay"]);

/**
 * The booking policy as a form. "business" edits the business policy (blank = default, or no limit);
 * "override" edits a service's overrides (blank = inherit the business value, shown as placeholder).
 */
export function PolicyEditor({
  value,
  onChange,
  mode,
  inherited,
}: {
  value: PolicyJson;
  onChange: (v: PolicyJson) => void;
  mode: "business" | "override";
  inherited?: PolicyJson;
}) {
  const t = useTranslations("dash.policy");
  const set = (key: string, v: unknown) => {
    const next = { ...value };
    if (v === undefined) delete next[key];
    else next[key] = v;
    onChange(next);
  };
  const payment = (value.payment ?? {}) as { mode?: string; depositPercent?: number; depositFen?: number };
  const setPayment = (p: typeof payment) => set("payment", Object.keys(p).length ? p : undefined);
  const tiers = value.refundTiers as Tier[] | undefined;
  const placeholder = (key: string) => {
    const v = inherited?.[key];
    return mode === "override"
      ? t("inherit", { value: v === null || v === undefined ? t("none") : String(v) })
      : NULLABLE.has(key)
        ? t("noLimit")
        : t("default");
  };
  return (
    <div className="space-y-3" data-testid={`policy-editor-${mode}`}>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        {NUMBER_KEYS.map((key) => (
          <label key={key} className="block space-y-1 text-sm">
            <span className="font-medium text-stone-700">{t(key)}</span>
            <input
              type="number"
              min={0}
              step="any"
              name={`policy-${key}`}
              className={inputClass}
              placeholder={placeholder(key)}
              value={value[key] === null || value[key] === undefined ? "" : String(value[key])}
              onChange={(e) =>
                set(key, e.target.value === "" ? (mode === "business" && NULLABLE.has(key) ? null : undefined) : Number(e.target.value))
              }
            />
          </label>
        ))}
        <label className="block space-y-1 text-sm">
          <span className="font-medium text-stone-700">{t("paymentMode")}</span>
          <select
            className={inputClass}
            name="policy-paymentMode"
            value={payment.mode ?? ""}
            onChange={(e) => setPayment({ ...payment, mode: e.target.value || undefined })}
          >
            <option value="">{mode === "override" ? t("inheritShort") : t("default")}</option>
            <option value="deposit">{t("modeDeposit")}</option>
            <option value="full">{t("modeFull")}</option>
          </select>
        </label>
        <label className="block space-y-1 text-sm">
          <span className="font-medium text-stone-700">{t("depositPercent")}</span>
          <input
            type="number"
            min={1}
            max={100}
            className={inputClass}
            name="policy-depositPercent"
            value={payment.depositPercent ?? ""}
            onChange={(e) => setPayment({ ...payment, depositPercent: e.target.value === "" ? undefined : Number(e.target.value) })}
          />
        </label>
        <label className="block space-y-1 text-sm sm:col-span-2">
          <span className="font-medium text-stone-700">{t("allowedGroups")}</span>
          <input
            className={inputClass}
            name="policy-allowedGroups"
            placeholder={t("allowedGroupsHint")}
            value={((value.allowedGroups as string[] | undefined) ?? []).join(", ")}
            onChange={(e) => {
              const groups = e.target.value
                .split(/[,，]/)
                .map((g) => g.trim())
                .filter(Boolean);
              set("allowedGroups", groups.length || mode === "business" ? groups : undefined);
            }}
          />
        </label>
      </div>
      <fieldset className="space-y-2 rounded-lg border border-stone-200 p-3">
        <legend className="px-1 text-sm font-medium">{t("refundTiers")}</legend>
        {tiers === undefined ? (
          <button
            type="button"
            className={secondaryButtonClass}
            onClick={() =>
              set("refundTiers", [
                { minHoursBefore: 24, percent: 100 },
                { minHoursBefore: 2, percent: 50 },
              ])
            }
          >
            {mode === "override" ? t("overrideTiers") : t("customTiers")}
          </button>
        ) : (
          <>
            {tiers.map((tier, i) => (
              <div key={i} className="flex flex-wrap items-center gap-2 text-sm">
                <span>{t("tierFrom")}</span>
                <input
                  type="number"
                  min={0}
                  className={`${compactInputClass} w-20`}
                  aria-label={t("tierHours")}
                  value={tier.minHoursBefore}
                  onChange={(e) =>
                    set(
                      "refundTiers",
                      tiers.map((x, j) => (j === i ? { ...x, minHoursBefore: Number(e.target.value) } : x)),
                    )
                  }
                />
                <span>{t("tierHoursBefore")}</span>
                <input
                  type="number"
                  min={0}
                  max={100}
                  className={`${compactInputClass} w-20`}
                  aria-label={t("tierPercent")}
                  value={tier.percent}
                  onChange={(e) =>
                    set(
                      "refundTiers",
                      tiers.map((x, j) => (j === i ? { ...x, percent: Number(e.target.value) } : x)),
                    )
                  }
                />
                <span>%</span>
                <button
                  type="button"
                  className="text-rose-600"
                  onClick={() =>
                    set(
                      "refundTiers",
                      tiers.filter((_, j) => j !== i),
                    )
                  }
                >
                  {t("remove")}
                </button>
              </div>
            ))}
            <div className="flex gap-2">
              <button
                type="button"
                className={secondaryButtonClass}
                onClick={() => set("refundTiers", [...tiers, { minHoursBefore: 0, percent: 0 }])}
              >
                {t("addTier")}
              </button>
              {mode === "override" && (
                <button type="button" className={secondaryButtonClass} onClick={() => set("refundTiers", undefined)}>
                  {t("inheritShort")}
                </button>
              )}
            </div>
          </>
        )}
      </fieldset>
    </div>
  );
}
