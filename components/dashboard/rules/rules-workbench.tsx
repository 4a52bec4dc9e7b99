"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { ActionForm, type FormAction } from "../action-form";
import { Card } from "../ui";
import { CustomRulesEditor, type RuleDraft } from "./custom-rules-editor";
import { DryRun } from "./dry-run";
import { PolicyForm } from "./policy-form";
import type { PolicyJson } from "./policy-editor";
import type { ComponentProps } from "react";

/** The policy, the custom rules and the dry run together, so unsaved changes to either can be tried before saving. */
export function RulesWorkbench({
  initialPolicy,
  savePolicyAction,
  initial,
  services,
  timezone,
  saveAction,
  dryRunAction,
  slotsForServiceAction,
}: {
  initialPolicy: PolicyJson;
  /** Saves the business policy (a server action passed in by the page). */
  savePolicyAction: FormAction;
  initial: RuleDraft[];
  services: { id: string; name: string }[];
  timezone: string;
  /** Saves the custom rules (a server action passed in by the page). */
  saveAction: FormAction;
  dryRunAction: ComponentProps<typeof DryRun>["dryRunAction"];
  slotsForServiceAction: ComponentProps<typeof DryRun>["slotsForServiceAction"];
}) {
  const t = useTranslations("dash.rules");
  const [rules, setRules] = useState<RuleDraft[]>(initial);
  const [draftPolicy, setDraftPolicy] = useState<string | null>(null);
  return (
    <>
      <Card title={t("policyTitle")}>
        <PolicyForm initial={initialPolicy} action={savePolicyAction} onDraft={setDraftPolicy} />
      </Card>
      <Card title={t("customTitle")} testId="custom-rules">
        <p className="mb-3 text-xs text-stone-500">{t("customHint")}</p>
        <ActionForm action={saveAction} submitLabel={t("saveRules")} resultTestId="rules-result">
          <input type="hidden" name="rules" value={JSON.stringify(rules)} />
          <CustomRulesEditor rules={rules} onChange={setRules} />
        </ActionForm>
      </Card>
      <Card title={t("dryRunTitle")} testId="dry-run">
        <DryRun
          services={services}
          draftRules={rules}
          draftPolicy={draftPolicy}
          timezone={timezone}
          dryRunAction={dryRunAction}
          slotsForServiceAction={slotsForServiceAction}
        />
      </Card>
    </>
  );
}
