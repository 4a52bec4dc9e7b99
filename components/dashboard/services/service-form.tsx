"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTranslations } from "next-intl";
import { saveServiceAction } from "@/lib/dashboard/actions/services";
import { ActionForm } from "../action-form";
import { PolicyEditor, type PolicyJson } from "../rules/policy-editor";
import { inputClass } from "../ui";
import { FieldsEditor, type FieldDraft } from "./fields-editor";

export type ServiceDraft = {
  id?: string;
  name: string;
  nameEn: string | null;
  description: string;
  descriptionEn: string | null;
  kind: string;
  durationMin: number;
  priceFen: number;
  depositFen: number;
  capacity: number;
  bufferBeforeMin: number;
  bufferAfterMin: number;
  resourceId: string | null;
  reminderOffsetsMin: number[];
  active: boolean;
  rules: PolicyJson;
  fields: FieldDraft[];
};

const yuan = (fen: number) => (fen / 100).toFixed(2);

function Input({ label, name, ...rest }: { label: string; name: string } & React.InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label className="block space-y-1 text-sm">
      <span className="font-medium text-stone-700">{label}</span>
      <input name={name} className={inputClass} {...rest} />
    </label>
  );
}

/** Create or edit a service: basics, money, capacity and buffers, resource, reminders, rule overrides and custom fields. */
export function ServiceForm({
  initial,
  resources,
  businessPolicy,
}: {
  initial: ServiceDraft;
  resources: { id: string; name: string }[];
  businessPolicy: PolicyJson;
}) {
  const t = useTranslations("dash.services");
  const router = useRouter();
  const [rules, setRules] = useState<PolicyJson>(initial.rules);
  const [fields, setFields] = useState<FieldDraft[]>(initial.fields);
  return (
    <ActionForm
      action={saveServiceAction}
      submitLabel={initial.id ? t("save") : t("create")}
      testId="service-form"
      resultTestId="service-result"
      className="space-y-5"
      onResult={(s) => {
        if (s.ok && !initial.id && s.data?.id) router.push(`/dashboard/services/${s.data.id}`);
      }}
    >
      <input type="hidden" name="id" value={initial.id ?? ""} />
      <input type="hidden" name="rules" value={JSON.stringify(rules)} />
      <input type="hidden" name="fields" value={JSON.stringify(fields.map(({ keyAuto: _auto, ...f }) => f))} />
      <section className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <Input label={t("name")} name="name" defaultValue={initial.name} required />
        <Input label={t("nameEn")} name="nameEn" defaultValue={initial.nameEn ?? ""} />
        <label className="block space-y-1 text-sm sm:col-span-2">
          <span className="font-medium text-stone-700">{t("description")}</span>
          <textarea name="description" defaultValue={initial.description} rows={2} className={inputClass} />
        </label>
        <label className="block space-y-1 text-sm sm:col-span-2">
          <span className="font-medium text-stone-700">{t("descriptionEn")}</span>
          <textarea name="descriptionEn" defaultValue={initial.descriptionEn ?? ""} rows={2} className={inputClass} />
        </label>
        <label className="block space-y-1 text-sm">
          <span className="font-medium text-stone-700">{t("kind")}</span>
          <select name="kind" defaultValue={initial.kind} className={inputClass}>
            {["appointment", "class", "consultation"].map((k) => (
              <option key={k} value={k}>
                {t(`kinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="block space-y-1 text-sm">
          <span className="font-medium text-stone-700">{t("resource")}</span>
          <select name="resourceId" defaultValue={initial.resourceId ?? ""} className={inputClass}>
            <option value="">{t("noResource")}</option>
            {resources.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        <Input label={t("price")} name="priceFen" inputMode="decimal" defaultValue={yuan(initial.priceFen)} required />
        <Input label={t("deposit")} name="depositFen" inputMode="decimal" defaultValue={yuan(initial.depositFen)} />
        <Input label={t("duration")} name="durationMin" type="number" min={5} defaultValue={initial.durationMin} required />
        <Input label={t("capacity")} name="capacity" type="number" min={1} defaultValue={initial.capacity} required />
        <Input label={t("bufferBefore")} name="bufferBeforeMin" type="number" min={0} defaultValue={initial.bufferBeforeMin} />
        <Input label={t("bufferAfter")} name="bufferAfterMin" type="number" min={0} defaultValue={initial.bufferAfterMin} />
        <Input
          label={t("reminders")}
          name="reminderOffsetsMin"
          defaultValue={initial.reminderOffsetsMin.join(", ")}
          placeholder="1440, 60"
        />
        <label className="flex items-center gap-2 self-end pb-2 text-sm">
          <input type="checkbox" name="active" defaultChecked={initial.active} /> {t("active")}
        </label>
      </section>
      <details className="rounded-lg border border-stone-200 p-3" open={Object.keys(initial.rules).length > 0 || !initial.id}>
        <summary className="cursor-pointer text-sm font-semibold">{t("ruleOverrides")}</summary>
        <p className="my-2 text-xs text-stone-500">{t("ruleOverridesHint")}</p>
        <PolicyEditor value={rules} onChange={setRules} mode="override" inherited={businessPolicy} />
      </details>
      <details className="rounded-lg border border-stone-200 p-3" open>
        <summary className="cursor-pointer text-sm font-semibold">{t("customFields")}</summary>
        <div className="mt-2">
          <FieldsEditor fields={fields} onChange={setFields} />
        </div>
      </details>
    </ActionForm>
  );
}
