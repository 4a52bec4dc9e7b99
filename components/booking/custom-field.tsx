"use client";

import { useTranslations } from "next-intl";
import type { Locale } from "@/lib/i18n/config";
import { FIELD_PREFIX, type FieldDefinition } from "./types";

const inputClass =
  "w-full rounded-lg border border-stone-300 bg-white px-3 py-2 text-base outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100";

function Errors({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <div id={id}>
      {errors.map((e) => (
        <p key={e} className="text-sm text-red-600" role="alert">
          {e}
        </p>
      ))}
    </div>
  );
}

/** One of a service's custom fields, rendered by its type; the server validates with the same definition. */
export function CustomField({ def, locale, errors }: { def: FieldDefinition; locale: Locale; errors?: string[] }) {
  const t = useTranslations("booking");
  const name = `${FIELD_PREFIX}${def.key}`;
  const id = `f-${name}`;
  const errorId = `${id}-error`;
  const label = def.label[locale];
  const invalid = errors?.length ? true : undefined;
  const a11y = { "aria-invalid": invalid, "aria-describedby": invalid ? errorId : undefined, "aria-required": def.required || undefined };
  const marker = def.required ? (
    <span className="ml-0.5 text-red-600" aria-hidden>
      *
    </span>
  ) : null;
  const labelEl = (
    <label htmlFor={id} className="block text-sm font-medium text-stone-700">
      {label}
      {marker}
    </label>
  );

  switch (def.type) {
    case "textarea":
      return (
        <div className="space-y-1">
          {labelEl}
          <textarea id={id} name={name} rows={3} maxLength={def.max} className={inputClass} {...a11y} />
          <Errors id={errorId} errors={errors} />
        </div>
      );
    case "select":
      return (
        <div className="space-y-1">
          {labelEl}
          <select id={id} name={name} defaultValue="" className={inputClass} {...a11y}>
            <option value="">{t("choose")}</option>
            {(def.options ?? []).map((o) => (
              <option key={o.value} value={o.value}>
                {o.label[locale]}
              </option>
            ))}
          </select>
          <Errors id={errorId} errors={errors} />
        </div>
      );
    case "multiselect":
      return (
        <fieldset className="space-y-1" aria-invalid={invalid} aria-describedby={invalid ? errorId : undefined}>
          <legend className="text-sm font-medium text-stone-700">
            {label}
            {marker}
          </legend>
          <div className="flex flex-wrap gap-3">
            {(def.options ?? []).map((o) => (
              <label key={o.value} className="inline-flex items-center gap-1.5 text-sm">
                <input type="checkbox" name={name} value={o.value} className="h-4 w-4 accent-brand-600" />
                {o.label[locale]}
              </label>
            ))}
          </div>
          <Errors id={errorId} errors={errors} />
        </fieldset>
      );
    case "checkbox":
      return (
        <div className="space-y-1">
          <label htmlFor={id} className="inline-flex items-center gap-2 text-sm font-medium text-stone-700">
            <input id={id} type="checkbox" name={name} value="on" className="h-4 w-4 accent-brand-600" {...a11y} />
            {label}
            {marker}
          </label>
          <Errors id={errorId} errors={errors} />
        </div>
      );
    default: {
      const type = { text: "text", number: "number", phone: "tel", email: "email", date: "date" }[def.type];
      const numeric = def.type === "number" ? { min: def.min, max: def.max, inputMode: "decimal" as const } : {};
      const text = def.type === "text" ? { maxLength: def.max } : {};
      return (
        <div className="space-y-1">
          {labelEl}
          <input
            id={id}
            name={name}
            type={type}
            autoComplete={def.type === "phone" ? "tel" : def.type === "email" ? "email" : undefined}
            className={inputClass}
            {...numeric}
            {...text}
            {...a11y}
          />
          <Errors id={errorId} errors={errors} />
        </div>
      );
    }
  }
}
