"use client";

import { useLocale } from "next-intl";
import type { FieldDefinition } from "@/lib/booking/fields";
import { inputClass } from "../ui";

/** A service's custom fields as form inputs named `f_<key>` (the action reads them with answersFromFormData). */
export function AnswerFields({ fields }: { fields: FieldDefinition[] }) {
  const locale = useLocale() === "en" ? "en" : "zh-CN";
  return (
    <>
      {fields.map((f) => {
        const name = `f_${f.key}`;
        const label = `${f.label[locale]}${f.required ? " *" : ""}`;
        const id = `answer-${f.key}`;
        if (f.type === "checkbox") {
          return (
            <label key={f.key} className="flex items-center gap-2 text-sm">
              <input type="checkbox" name={name} /> {label}
            </label>
          );
        }
        let input: React.ReactNode;
        if (f.type === "textarea") input = <textarea id={id} name={name} className={inputClass} rows={2} />;
        else if (f.type === "select" || f.type === "multiselect") {
          input = (
            <select
              id={id}
              name={name}
              className={inputClass}
              multiple={f.type === "multiselect"}
              defaultValue={f.type === "multiselect" ? [] : ""}
            >
              {f.type === "select" && <option value="">—</option>}
              {(f.options ?? []).map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label[locale]}
                </option>
              ))}
            </select>
          );
        } else {
          const type = { number: "number", phone: "tel", email: "email", date: "date" }[f.type as string] ?? "text";
          input = <input id={id} name={name} type={type} className={inputClass} />;
        }
        return (
          <div key={f.key} className="space-y-1">
            <label htmlFor={id} className="block text-sm font-medium text-stone-700">
              {label}
            </label>
            {input}
          </div>
        );
      })}
    </>
  );
}
