"use client";

import { startTransition, useActionState, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { Field, FormMessage, SubmitButton } from "@/components/ui/form";
import { useFixedFields } from "@/components/ui/use-fixed-fields";
import type { ActionResult } from "@/lib/actions";
import { PhoneCodeFields, type SendCode } from "./phone-code-fields";
import { PrivacyConsentBox } from "./privacy-consent";

type Props = { action: (prev: ActionResult<SignUpData> | null, fd: FormData) => Promise<ActionResult<SignUpData>>; sendCode: SendCode };

/** What the action answers when it mailed a sign-up code (the form then asks for it). */
export type SignUpData = { emailCodeSent?: boolean };

/**
 * Every contact given here is proved, so nobody can register someone else's: a phone number with an
 * SMS code, an e-mail address with a code mailed to it after the first submit (the second submit,
 * with that code, creates the account). The first answer is the same for any address.
 */
export function SignUpForm({ action, sendCode }: Props) {
  const t = useTranslations("auth");
  const to = useTranslations("otp");
  const [state, formAction, pending] = useActionState(action, null);
  const fixed = useFixedFields(state);
  const errors = state?.fieldErrors;
  // Once a code was mailed, its field stays (a wrong code's answer carries no data).
  const [codeAsked, setCodeAsked] = useState(false);
  const mailed = state?.data?.emailCodeSent === true;
  if (mailed && !codeAsked) setCodeAsked(true);
  const form = useRef<HTMLFormElement>(null);
  const submit = (formData: FormData) => startTransition(() => formAction(formData));
  function resend() {
    if (!form.current) return;
    const formData = new FormData(form.current);
    formData.set("resend", "1");
    submit(formData);
  }
  return (
    <form
      ref={form}
      method="post"
      className="space-y-4"
      noValidate
      onChange={fixed.onChange}
      onSubmit={(e) => {
        e.preventDefault();
        // Not <form action>: React resets an action form after every attempt, wiping what was typed on an error.
        // (method="post" keeps a tap before hydration from putting the password in the URL.)
        submit(new FormData(e.currentTarget));
      }}
    >
      <Field label={t("name")} name="name" autoComplete="name" errors={fixed.shown("name", errors?.name)} required />
      <PhoneCodeFields
        sendCode={sendCode}
        errors={{ phone: fixed.shown("phone", errors?.phone), code: fixed.shown("code", errors?.code) }}
      />
      <p className="text-xs text-stone-500">
        {t("emailOrPhoneHint")} · {to("signUpCodeHint")} · {to("signUpEmailCodeHint")}
      </p>
      <Field label={t("email")} name="email" type="email" autoComplete="email" errors={fixed.shown("email", errors?.email)} />
      {codeAsked && (
        <div className="space-y-2" data-testid="email-code">
          {mailed && state?.message && (
            <p role="status" className="text-sm text-green-700" data-testid="email-code-status">
              {state.message}
            </p>
          )}
          <Field
            label={to("emailCode")}
            name="emailCode"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="\d{6}"
            maxLength={6}
            errors={fixed.shown("emailCode", errors?.emailCode)}
          />
          <button type="button" onClick={resend} disabled={pending} className="text-sm text-brand-700 underline">
            {to("resendEmail")}
          </button>
        </div>
      )}
      <Field
        label={t("password")}
        name="password"
        type="password"
        autoComplete="new-password"
        errors={fixed.shown("password", errors?.password)}
        required
      />
      <PrivacyConsentBox errors={fixed.shown("privacyConsent", errors?.privacyConsent)} />
      {!mailed && <FormMessage state={state} />}
      <SubmitButton pending={pending}>{t("submitSignUp")}</SubmitButton>
    </form>
  );
}
