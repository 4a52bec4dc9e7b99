"use client";

import { useTranslations } from "next-intl";
import { compactInputClass, inputClass, secondaryButtonClass } from "../ui";

export type Leaf = { fact: string; operator: string; value: unknown };
export type RuleDraft = { id: string; enabled: boolean; message: { "zh-CN": string; en: string }; conditions: Record<string, unknown> };

export const FACTS = [
  "customer.groups",
  "customer.activeBookings",
  "customer.bookingsOnDay",
  "service.id",
  "service.kind",
  "service.priceFen",
  "slot.weekday",
  "slot.hourOfDay",
  "slot.minuteOfDay",
  "slot.date",
  "slot.durationMin",
  "slot.remaining",
  "slot.capacity",
  "slot.groups",
  "seats",
  "leadHours",
] as const;
const OPERATORS = [
  "equal",
  "notEqual",
  "lessThan",
  "lessThanInclusive",
  "greaterThan",
  "greaterThanInclusive",
  "in",
  "notIn",
  "contains",
  "doesNotContain",
] as const;

/** A rule the form can show: { all|any: [leaf, …] } with plain leaves. Anything deeper is edited as JSON. */
export function simpleForm(c: Record<string, unknown>): { combinator: "all" | "any"; leaves: Leaf[] } | null {
  const combinator = "all" in c ? "all" : "any" in c ? "any" : null;
  const list = combinator ? c[combinator] : null;
  if (!combinator || !Array.isArray(list) || Object.keys(c).length !== 1) return null;
  if (!list.every((l) => l && typeof l === "object" && "fact" in l && "operator" in l && !("path" in l))) return null;
  return { combinator, leaves: list as Leaf[] };
}

const show = (v: unknown) => (Array.isArray(v) ? v.join(", ") : v === undefined ? "" : String(v));
function parseValue(s: string, operator: string): unknown {
  const scalar = (x: string): unknown => {
    const v = x.trim();
    if (v === "true" || v === "false") return v === "true";
    return v !== "" && !Number.isNaN(Number(v)) ? Number(v) : v;
  };
  return operator === "in" || operator === "notIn"
    ? s
        .split(/[,，]/)
        .map(scalar)
        .filter((v) => v !== "")
    : scalar(s);
}

/** Custom rules of the rules engine: each says when a booking is FORBIDDEN, and why (zh-CN and en). */
export function CustomRulesEditor({ rules, onChange }: { rules: RuleDraft[]; onChange: (r: RuleDraft[]) => void }) {
  const t = useTranslations("dash.rules");
  const update = (i: number, patch: Partial<RuleDraft>) => onChange(rules.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <div className="space-y-3" data-testid="custom-rules-editor">
      {rules.length === 0 && <p className="text-sm text-stone-500">{t("noRules")}</p>}
      {rules.map((rule, i) => {
        const simple = simpleForm(rule.conditions);
        const setLeaves = (leaves: Leaf[], combinator = simple?.combinator ?? "all") => update(i, { conditions: { [combinator]: leaves } });
        return (
          <fieldset key={i} className="space-y-2 rounded-lg border border-stone-200 p-3" data-testid="rule-row">
            <div className="flex flex-wrap items-center gap-2">
              <input
                className={`${compactInputClass} w-40 font-mono`}
                value={rule.id}
                onChange={(e) => update(i, { id: e.target.value })}
                aria-label={t("ruleId")}
                placeholder={t("ruleId")}
              />
              <label className="flex items-center gap-1 text-sm">
                <input type="checkbox" checked={rule.enabled} onChange={(e) => update(i, { enabled: e.target.checked })} />
                {t("enabled")}
              </label>
              <button type="button" className="ml-auto text-sm text-rose-600" onClick={() => onChange(rules.filter((_, j) => j !== i))}>
                {t("removeRule")}
              </button>
            </div>
            {simple ? (
              <div className="space-y-2 text-sm">
                <label className="flex items-center gap-2">
                  {t("forbidWhen")}
                  <select
                    className={`${compactInputClass} w-auto`}
                    value={simple.combinator}
                    onChange={(e) => setLeaves(simple.leaves, e.target.value as "all" | "any")}
                  >
                    <option value="all">{t("all")}</option>
                    <option value="any">{t("any")}</option>
                  </select>
                </label>
                {simple.leaves.map((leaf, k) => (
                  <div key={k} className="grid grid-cols-1 gap-2 sm:grid-cols-[1fr_1fr_1fr_auto]" data-testid="condition-row">
                    <select
                      className={inputClass}
                      aria-label={t("fact")}
                      value={leaf.fact}
                      onChange={(e) => setLeaves(simple.leaves.map((l, m) => (m === k ? { ...l, fact: e.target.value } : l)))}
                    >
                      {FACTS.map((f) => (
                        <option key={f} value={f}>
                          {t(`factNames.${f.replace(".", "_")}`)}
                        </option>
                      ))}
                    </select>
                    <select
                      className={inputClass}
                      aria-label={t("operator")}
                      value={leaf.operator}
                      onChange={(e) =>
                        setLeaves(
                          simple.leaves.map((l, m) =>
                            m === k ? { ...l, operator: e.target.value, value: parseValue(show(l.value), e.target.value) } : l,
                          ),
                        )
                      }
                    >
                      {OPERATORS.map((o) => (
                        <option key={o} value={o}>
                          {t(`operators.${o}`)}
                        </option>
                      ))}
                    </select>
                    <input
                      className={inputClass}
                      aria-label={t("value")}
                      defaultValue={show(leaf.value)}
                      onChange={(e) =>
                        setLeaves(simple.leaves.map((l, m) => (m === k ? { ...l, value: parseValue(e.target.value, l.operator) } : l)))
                      }
                    />
                    <button type="button" className="text-rose-600" onClick={() => setLeaves(simple.leaves.filter((_, m) => m !== k))}>
                      ✕
                    </button>
                  </div>
                ))}
                <button
                  type="button"
                  className="text-brand-600 underline"
                  onClick={() => setLeaves([...simple.leaves, { fact: "slot.weekday", operator: "equal", value: 7 }])}
                >
                  {t("addCondition")}
                </button>
              </div>
            ) : (
              <textarea
                className={`${inputClass} font-mono text-xs`}
                rows={5}
                defaultValue={JSON.stringify(rule.conditions, null, 2)}
                aria-label={t("conditionsJson")}
                onChange={(e) => {
                  try {
                    update(i, { conditions: JSON.parse(e.target.value) as Record<string, unknown> });
                  } catch {
                    // Not valid JSON yet: keep the last valid conditions until it parses.
                  }
                }}
              />
            )}
            <div className="grid grid-cols-1 gap-2 sm:grid-cols-2">
              <input
                className={inputClass}
                value={rule.message["zh-CN"]}
                onChange={(e) => update(i, { message: { ...rule.message, "zh-CN": e.target.value } })}
                placeholder={t("messageZh")}
                aria-label={t("messageZh")}
              />
              <input
                className={inputClass}
                value={rule.message.en}
                onChange={(e) => update(i, { message: { ...rule.message, en: e.target.value } })}
                placeholder={t("messageEn")}
                aria-label={t("messageEn")}
              />
            </div>
          </fieldset>
        );
      })}
      <button
        type="button"
        className={secondaryButtonClass}
        data-testid="add-rule"
        onClick={() =>
          onChange([
            ...rules,
            {
              id: `rule-${rules.length + 1}`,
              enabled: true,
              message: { "zh-CN": "", en: "" },
              conditions: { all: [{ fact: "slot.weekday", operator: "equal", value: 7 }] },
            },
          ])
        }
      >
        {t("addRule")}
      </button>
    </div>
  );
}
