"use client";

import { useTranslations } from "next-intl";
import { ActionForm, type FormAction } from "../action-form";
import { inputClass } from "../ui";

/** Staff notes and groups ("member"…) of one customer; known groups are offered as suggestions. */
export function CustomerForm({
  customerId,
  notes,
  groups,
  knownGroups,
  action,
}: {
  customerId: string;
  notes: string | null;
  groups: string[];
  knownGroups: string[];
  /** Saves the notes and groups (a server action passed in by the page). */
  action: FormAction;
}) {
  const t = useTranslations("dash.customers");
  return (
    <ActionForm action={action} submitLabel={t("save")} testId="customer-form" resultTestId="customer-result">
      <input type="hidden" name="customerId" value={customerId} />
      <label className="block space-y-1 text-sm">
        <span className="font-medium text-stone-700">{t("groups")}</span>
        <input name="groups" defaultValue={groups.join(", ")} className={inputClass} list="known-groups" placeholder="member, vip" />
        <datalist id="known-groups">
          {knownGroups.map((g) => (
            <option key={g} value={g} />
          ))}
        </datalist>
        <span className="text-xs text-stone-500">{t("groupsHint")}</span>
      </label>
      <label className="block space-y-1 text-sm">
        <span className="font-medium text-stone-700">{t("notes")}</span>
        <textarea name="notes" defaultValue={notes ?? ""} rows={4} className={inputClass} />
      </label>
    </ActionForm>
  );
}
