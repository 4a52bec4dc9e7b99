"use client";

import { startTransition, useActionState } from "react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { Field, FormMessage, SubmitButton } from "@/components/ui/form";
import { useFixedFields } from "@/components/ui/use-fixed-fields";
import type { ActionResult } from "@/lib/actions";
import { PhoneCodeFields, type SendCode } from "./phone-code-fields";

type Props = { action: (prev: ActionResult | null, fd: FormData) => Promise<ActionResult>; sendCode: SendCode };

/** A phone number given here is proved with an SMS code, so nobody can register someone else's number. */
export function SignUpForm({ action, sendCode }: Props) {
  const t = useTranslations("auth");
  const to = useTranslations("otp");
  const [state, formAction, pending] = useActionState(action, null);
  const fixed = useFixedFields(state);
  const errors = state?.fieldErrors;
  return (
    <form
      method="post"
      className="space-y-4"
      noValidate
      onChange={fixed.onChange}
      onSubmit={(e) => {
        e.preventDefault();
        // Not <form action>: React resets an action form after every attempt, wiping what was typed on an error.
        // (method="post" keeps a tap before hydration from putting the password in the URL.)
        const formData = new FormData(e.currentTarget);
        startTransition(() => formAction(formData));
      }}
    >
      <Field label={t("name")} name="name" autoComplete="name" errors={fixed.shown("name", errors?.name)} required />
      <PhoneCodeFields
        sendCode={sendCode}
        errors={{ phone: fixed.shown("phone", errors?.phone), code: fixed.shown("code", errors?.code) }}
      />
      <p className="text-xs text-stone-500">
        {t("emailOrPhoneHint")} · {to("signUpCodeHint")}
      </p>
      <Field label={t("email")} name="email" type="email" autoComplete="email" errors={fixed.shown("email", errors?.email)} />
      <Field
        label={t("password")}
        name="password"
        type="password"
        autoComplete="new-password"
        errors={fixed.shown("password", errors?.password)}
        required
      />
      <div className="space-y-1">
        <label className="flex items-center gap-2 text-sm text-stone-700">
          <input type="checkbox" name="privacyConsent" aria-invalid={errors?.privacyConsent?.length ? true : undefined} />
          <span>
            {t("privacyConsent")}{" "}
            <Link href="/privacy" target="_blank" className="text-brand-600 underline">
              {t("privacyPolicy")}
            </Link>
          </span>
        </label>
        {fixed.shown("privacyConsent", errors?.privacyConsent)?.map((e) => (
          <p key={e} className="text-sm text-red-600" role="alert">
            {e}
          </p>
        ))}
      </div>
      <FormMessage state={state} />
      <SubmitButton pending={pending}>{t("submitSignUp")}</SubmitButton>
    </form>
  );
}
