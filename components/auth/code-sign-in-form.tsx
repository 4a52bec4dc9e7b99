"use client";

import { startTransition, useActionState } from "react";
import { useTranslations } from "next-intl";
import { FormMessage, SubmitButton } from "@/components/ui/form";
import type { ActionResult } from "@/lib/actions";
import { PhoneCodeFields, type SendCode } from "./phone-code-fields";
import { PrivacyConsentBox } from "./privacy-consent";

type Props = {
  action: (prev: ActionResult | null, fd: FormData) => Promise<ActionResult>;
  sendCode: SendCode;
  callbackUrl: string;
};

/**
 * Phone → code → signed in; a number seen for the first time becomes a customer account. The
 * privacy checkbox is asked of everyone (asking only new numbers would tell which are new).
 */
export function CodeSignInForm({ action, sendCode, callbackUrl }: Props) {
  const t = useTranslations("otp");
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form
      method="post"
      className="space-y-4"
      noValidate
      aria-label={t("tabCode")}
      onSubmit={(e) => {
        e.preventDefault();
        // Not <form action>: React resets an action form after every attempt, wiping the code typed (the box unticked, say).
        const formData = new FormData(e.currentTarget);
        startTransition(() => formAction(formData));
      }}
    >
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <PhoneCodeFields sendCode={sendCode} errors={{ phone: state?.fieldErrors?.phone, code: state?.fieldErrors?.code }} />
      <p className="text-xs text-stone-500">{t("codeHint")}</p>
      <PrivacyConsentBox errors={state?.fieldErrors?.privacyConsent} />
      <FormMessage state={state} />
      <SubmitButton pending={pending}>{t("submitCodeSignIn")}</SubmitButton>
    </form>
  );
}
