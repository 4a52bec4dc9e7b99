"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { ActionForm, type FormAction } from "../action-form";
import { inputClass } from "../ui";
import { PolicyEditor, type PolicyJson } from "./policy-editor";

/**
 * The business policy: the form, and the JSON it saves (editable for keys the form does not cover).
 * `action` saves the policy (a server action passed in by the page); `onDraft` hears every unsaved
 * change, so the dry run can try it.
 */
export function PolicyForm({ initial, action, onDraft }: { initial: PolicyJson; action: FormAction; onDraft?: (json: string) => void }) {
  const t = useTranslations("dash.rules");
  const [policy, setPolicyState] = useState<PolicyJson>(initial);
  const [raw, setRawState] = useState<string | null>(null);
  const setPolicy = (p: PolicyJson) => {
    setPolicyState(p);
    onDraft?.(JSON.stringify(p));
  };
  const setRaw = (text: string | null) => {
    setRawState(text);
    if (text !== null) onDraft?.(text);
  };
  return (
    <ActionForm action={action} submitLabel={t("savePolicy")} testId="policy-form" resultTestId="policy-result">
      <input type="hidden" name="policy" value={raw ?? JSON.stringify(policy)} />
      <PolicyEditor
        value={policy}
        onChange={(p) => {
          setPolicy(p);
          setRaw(null);
        }}
        mode="business"
      />
      <details className="text-sm">
        <summary className="cursor-pointer text-stone-600">{t("asJson")}</summary>
        <textarea
          className={`${inputClass} mt-2 font-mono text-xs`}
          rows={8}
          value={raw ?? JSON.stringify(policy, null, 2)}
          onChange={(e) => {
            setRaw(e.target.value);
            try {
              setPolicy(JSON.parse(e.target.value) as PolicyJson);
            } catch {
              // Keep the text as typed; the server reports invalid JSON when it is saved.
            }
          }}
        />
      </details>
    </ActionForm>
  );
}
