"use client";

import { useTranslations } from "next-intl";
import { ActionForm, type FormAction } from "../action-form";
import { inputClass, secondaryButtonClass } from "../ui";

type Initial = { id?: string; kind: "staff" | "room"; name: string; userId: string | null; active: boolean };

/** One staff member or room: kind, name, the staff account behind it, active. */
/** `action` saves the resource (a server action passed in by the page). */
export function ResourceForm({ initial, staff, action }: { initial: Initial; staff: { id: string; name: string }[]; action: FormAction }) {
  const t = useTranslations("dash.resources");
  return (
    <ActionForm
      action={action}
      submitLabel={initial.id ? t("save") : t("create")}
      submitClass={initial.id ? secondaryButtonClass : undefined}
      resetOnSuccess={!initial.id}
      className="grid grid-cols-2 items-center gap-2 sm:grid-cols-[8rem_1fr_12rem_auto_auto]"
      testId={initial.id ? "resource-row" : "resource-new"}
    >
      <input type="hidden" name="id" value={initial.id ?? ""} />
      <select name="kind" defaultValue={initial.kind} className={inputClass} aria-label={t("kind")}>
        <option value="staff">{t("kinds.staff")}</option>
        <option value="room">{t("kinds.room")}</option>
      </select>
      <input name="name" defaultValue={initial.name} required className={inputClass} placeholder={t("name")} aria-label={t("name")} />
      <select name="userId" defaultValue={initial.userId ?? ""} className={inputClass} aria-label={t("account")}>
        <option value="">{t("noAccount")}</option>
        {staff.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      <label className="flex items-center gap-1 text-sm">
        <input type="checkbox" name="active" defaultChecked={initial.active} />
        {t("active")}
      </label>
    </ActionForm>
  );
}
