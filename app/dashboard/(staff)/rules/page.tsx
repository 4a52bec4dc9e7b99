import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { serviceLabel } from "@/components/dashboard/format";
import type { RuleDraft } from "@/components/dashboard/rules/custom-rules-editor";
import { RulesWorkbench } from "@/components/dashboard/rules/rules-workbench";
import { PageHeader } from "@/components/dashboard/ui";
import { requireStaffPage } from "@/lib/auth/session";
import { currentBusiness } from "@/lib/business/queries";
import { serviceOptions } from "@/lib/services/staff-queries";
import { dryRunAction, savePolicyAction, saveCustomRulesAction, slotsForServiceAction } from "./actions";

export const metadata = { title: "规则 Rules" };

export default async function RulesPage() {
  await requireStaffPage("/dashboard/rules");
  const db = getDb();
  const [t, locale, business, services] = await Promise.all([
    getTranslations("dash.rules"),
    getLocale(),
    currentBusiness(db),
    serviceOptions(db),
  ]);
  return (
    <div className="space-y-4">
      <PageHeader title={t("title")} subtitle={t("subtitle")} />
      <RulesWorkbench
        initialPolicy={business.policy}
        savePolicyAction={savePolicyAction}
        saveAction={saveCustomRulesAction}
        dryRunAction={dryRunAction}
        slotsForServiceAction={slotsForServiceAction}
        initial={business.customRules as RuleDraft[]}
        services={services.map((s) => ({ id: s.id, name: serviceLabel(s, locale) }))}
        timezone={business.timezone}
      />
    </div>
  );
}
