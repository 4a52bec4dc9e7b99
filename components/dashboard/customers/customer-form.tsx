"use client";

import { useTranslations } from "next-intl";
import { updateCustomerAction } from "@/app/dashboard/(staff)/customers/actions";
import { ActionForm } from "../action-form";
import { inputClass } from "../ui";

/** Staff notes and groups ("member"…) of one customer; known groups are offered as suggestions. */
export function CustomerForm({
  customerId,
  notes,
  groups,
  knownGroups,
}: {
  customerId: string;
  notes: string | null;
  groups: string[];
  knownGroups: string[];
}) {
  const t = useTranslations("dash.customers");
  return (
    <ActionForm action={updateCustomerAction} submitLabel={t("save")} testId="customer-form" resultTestId="customer-result">
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
