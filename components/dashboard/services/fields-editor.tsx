"use client";

import { useTranslations } from "next-intl";
import { fieldKeyFrom } from "@/lib/validations/field-key";
import { compactInputClass, inputClass, secondaryButtonClass } from "../ui";

export type FieldDraft = {
  key: string;
  type: string;
  label: { "zh-CN": string; en: string };
  required?: boolean;
  min?: number;
  max?: number;
  pattern?: string;
  options?: { value: string; label: { "zh-CN": string; en: string } }[];
  /** A field added in this editor whose key still follows its labels (a saved key never changes: answers are stored under it). */
  keyAuto?: boolean;
};

const TYPES = ["text", "textarea", "number", "phone", "email", "select", "multiselect", "checkbox", "date"] as const;
const BOUNDED = new Set(["text", "textarea", "number", "multiselect"]);
const CHOICE = new Set(["select", "multiselect"]);

/** "value | 中文 | English" per line ⇄ options. */
const optionsToText = (o: FieldDraft["options"]) => (o ?? []).map((x) => `${x.value} | ${x.label["zh-CN"]} | ${x.label.en}`).join("\n");
const textToOptions = (s: string) =>
  s
    .split("\n")
    .map((l) => l.split("|").map((p) => p.trim()))
    .filter((p) => p[0])
    .map(([value = "", zh = "", en = ""]) => ({ value, label: { "zh-CN": zh || value, en: en || zh || value } }));

/** The custom form fields of a service: add, remove, reorder; type, labels in both languages, required, bounds, options. */
export function FieldsEditor({ fields, onChange }: { fields: FieldDraft[]; onChange: (f: FieldDraft[]) => void }) {
  const t = useTranslations("dash.fields");
  const update = (i: number, patch: Partial<FieldDraft>) =>
    onChange(
      fields.map((f, j) => {
        if (j !== i) return f;
        const next = { ...f, ...patch };
        if (next.keyAuto && patch.label) next.key = fieldKeyFrom(next.label, otherKeys(fields, i));
        return clean(next);
      }),
    );
  const move = (i: number, d: -1 | 1) => {
    const next = [...fields];
    const [x] = next.splice(i, 1);
    next.splice(i + d, 0, x!);
    onChange(next);
  };
  return (
    <div className="space-y-3" data-testid="fields-editor">
      {fields.length === 0 && <p className="text-sm text-stone-500">{t("none")}</p>}
      {fields.map((f, i) => (
        <fieldset key={i} className="space-y-2 rounded-lg border border-stone-200 p-3" data-testid="field-row">
          <div className="grid grid-cols-2 gap-2 sm:grid-cols-3">
            <select
              className={inputClass}
              aria-label={t("type")}
              value={f.type}
              onChange={(e) => update(i, { type: e.target.value })}
              name={`field-${i}-type`}
            >
              {TYPES.map((ty) => (
                <option key={ty} value={ty}>
                  {t(`types.${ty}`)}
                </option>
              ))}
            </select>
            <input
              className={inputClass}
              aria-label={t("labelZh")}
              placeholder={t("labelZh")}
              value={f.label["zh-CN"]}
              onChange={(e) => update(i, { label: { ...f.label, "zh-CN": e.target.value } })}
              name={`field-${i}-zh`}
            />
            <input
              className={inputClass}
              aria-label={t("labelEn")}
              placeholder={t("labelEn")}
              value={f.label.en}
              onChange={(e) => update(i, { label: { ...f.label, en: e.target.value } })}
              name={`field-${i}-en`}
            />
          </div>
          <div className="flex flex-wrap items-center gap-3 text-sm">
            <label className="flex items-center gap-1">
              <input
                type="checkbox"
                checked={f.required ?? false}
                onChange={(e) => update(i, { required: e.target.checked })}
                name={`field-${i}-required`}
              />
              {t("required")}
            </label>
            {BOUNDED.has(f.type) && (
              <>
                <label className="flex items-center gap-1">
                  {t("min")}
                  <input
                    type="number"
                    className={`${compactInputClass} w-20`}
                    value={f.min ?? ""}
                    onChange={(e) => update(i, { min: e.target.value === "" ? undefined : Number(e.target.value) })}
                  />
                </label>
                <label className="flex items-center gap-1">
                  {t("max")}
                  <input
                    type="number"
                    className={`${compactInputClass} w-20`}
                    value={f.max ?? ""}
                    onChange={(e) => update(i, { max: e.target.value === "" ? undefined : Number(e.target.value) })}
                  />
                </label>
              </>
            )}
            <span className="ml-auto flex gap-2">
              <button type="button" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t("up")}>
                ↑
              </button>
              <button type="button" disabled={i === fields.length - 1} onClick={() => move(i, 1)} aria-label={t("down")}>
                ↓
              </button>
              <button type="button" className="text-rose-600" onClick={() => onChange(fields.filter((_, j) => j !== i))}>
                {t("remove")}
              </button>
            </span>
          </div>
          <details className="text-sm" data-testid="field-advanced">
            <summary className="cursor-pointer text-stone-600">{t("advanced")}</summary>
            <div className="mt-2 flex flex-wrap items-center gap-3">
              <label className="flex items-center gap-1">
                {t("key")}
                <input
                  className={`${compactInputClass} w-40 font-mono`}
                  value={f.key}
                  onChange={(e) => update(i, { key: e.target.value, keyAuto: false })}
                  name={`field-${i}-key`}
                />
              </label>
              {(f.type === "text" || f.type === "textarea") && (
                <label className="flex items-center gap-1">
                  {t("pattern")}
                  <input
                    className={`${compactInputClass} w-40 font-mono`}
                    value={f.pattern ?? ""}
                    onChange={(e) => update(i, { pattern: e.target.value || undefined })}
                    name={`field-${i}-pattern`}
                  />
                </label>
              )}
              <p className="basis-full text-xs text-stone-500">{t("keyHint")}</p>
            </div>
          </details>
          {CHOICE.has(f.type) && (
            <label className="block text-sm">
              {t("options")}
              <textarea
                className={`${inputClass} font-mono`}
                rows={3}
                placeholder="beginner | 初级 | Beginner"
                defaultValue={optionsToText(f.options)}
                onBlur={(e) => update(i, { options: textToOptions(e.target.value) })}
                onChange={(e) => update(i, { options: textToOptions(e.target.value) })}
              />
            </label>
          )}
        </fieldset>
      ))}
      <button
        type="button"
        className={secondaryButtonClass}
        data-testid="add-field"
        onClick={() =>
          onChange([
            ...fields,
            {
              key: fieldKeyFrom({ "zh-CN": "", en: "" }, otherKeys(fields, -1)),
              type: "text",
              label: { "zh-CN": "", en: "" },
              required: false,
              keyAuto: true,
            },
          ])
        }
      >
        {t("add")}
      </button>
    </div>
  );
}

/** Drops the keys the chosen type does not take, so the server's schema accepts what the form shows. */
function clean(f: FieldDraft): FieldDraft {
  const out: FieldDraft = { key: f.key, type: f.type, label: f.label, required: f.required ?? false };
  if (f.keyAuto) out.keyAuto = true;
  if (BOUNDED.has(f.type)) {
    if (f.min !== undefined) out.min = f.min;
    if (f.max !== undefined) out.max = f.max;
  }
  if ((f.type === "text" || f.type === "textarea") && f.pattern) out.pattern = f.pattern;
  if (CHOICE.has(f.type)) out.options = f.options ?? [];
  return out;
}

const otherKeys = (fields: FieldDraft[], except: number) => fields.filter((_, j) => j !== except).map((f) => f.key);
