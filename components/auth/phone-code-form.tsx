"use client";

import { useActionState } from "react";
import { Field, FormMessage, SubmitButton } from "@/components/ui/form";
import type { ActionResult } from "@/lib/actions";
import { PhoneCodeFields, type SendCode } from "./phone-code-fields";

type Props = {
  action: (prev: ActionResult | null, fd: FormData) => Promise<ActionResult>;
  sendCode: SendCode;
  submitLabel: string;
  label: string;
  phoneLabel?: string;
  /** An extra password input (password reset). */
  passwordLabel?: string;
};

/** A phone + SMS code form for one account change (password reset, new phone number). */
export function PhoneCodeForm({ action, sendCode, submitLabel, label, phoneLabel, passwordLabel }: Props) {
  const [state, formAction, pending] = useActionState(action, null);
  const errors = state?.fieldErrors;
  return (
    <form action={formAction} className="space-y-4" noValidate aria-label={label}>
      <PhoneCodeFields sendCode={sendCode} phoneLabel={phoneLabel} errors={{ phone: errors?.phone, code: errors?.code }} />
      {passwordLabel && (
        <Field label={passwordLabel} name="password" type="password" autoComplete="new-password" errors={errors?.password} required />
      )}
      <FormMessage state={state} />
      <SubmitButton pending={pending}>{submitLabel}</SubmitButton>
    </form>
  );
}
