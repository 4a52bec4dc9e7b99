"use client";

import type { ReactNode } from "react";
import { useTranslations } from "next-intl";
import { ActionForm, type FormAction } from "../action-form";
import { compactInputClass, inputClass, secondaryButtonClass } from "../ui";

/**
 * The one-line editor a card plan or a coupon is written in: a new one (created, then cleared) or an
 * existing one (saved in place, its id carried along).
 */
export function RowForm({
  action,
  editing,
  id,
  createLabel,
  testId,
  children,
}: {
  action: FormAction;
  editing: boolean;
  id: string | undefined;
  createLabel: string;
  testId: string;
  children: ReactNode;
}) {
  const t = useTranslations("dash.passes");
  return (
    <ActionForm
      action={action}
      submitLabel={editing ? t("save") : createLabel}
      submitClass={editing ? secondaryButtonClass : undefined}
      resetOnSuccess={!editing}
      className="flex flex-wrap items-end gap-2"
      testId={editing ? `${testId}-row` : `${testId}-new`}
    >
      <input type="hidden" name="id" value={id ?? ""} />
      {children}
    </ActionForm>
  );
}

/** A compact text input whose label is its placeholder. */
export function RowInput({
  name,
  label,
  defaultValue,
  width,
  required,
}: {
  name: string;
  label: string;
  defaultValue: string | number | undefined;
  width: string;
  required?: boolean;
}) {
  return (
    <input
      name={name}
      defaultValue={defaultValue}
      required={required}
      placeholder={label}
      aria-label={label}
      className={`${compactInputClass} ${width}`}
    />
  );
}

/** The services a plan or coupon is limited to (none chosen: every service). */
export function ServicesSelect({ services, selected }: { services: { id: string; name: string }[]; selected: string[] | undefined }) {
  const t = useTranslations("dash.passes");
  return (
    <select
      name="serviceIds"
      multiple
      defaultValue={selected ?? []}
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
  );
}

export function ActiveBox({ checked, label }: { checked: boolean | undefined; label: string }) {
  return (
    <label className="flex items-center gap-1 text-sm">
      <input type="checkbox" name="active" defaultChecked={checked ?? true} />
      {label}
    </label>
  );
}
