"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { Field, FormMessage, SubmitButton } from "@/components/ui/form";
import type { ActionResult } from "@/lib/actions";
import { PhoneCodeFields, type SendCode } from "./phone-code-fields";

type Props = { action: (prev: ActionResult | null, fd: FormData) => Promise<ActionResult>; sendCode: SendCode };

/** A phone number given here is proved with an SMS code, so nobody can register someone else's number. */
export function SignUpForm({ action, sendCode }: Props) {
  const t = useTranslations("auth");
  const to = useTranslations("otp");
  const [state, formAction, pending] = useActionState(action, null);
  const errors = state?.fieldErrors;
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <Field label={t("name")} name="name" autoComplete="name" errors={errors?.name} required />
      <PhoneCodeFields sendCode={sendCode} errors={{ phone: errors?.phone, code: errors?.code }} />
      <p className="text-xs text-stone-500">
        {t("emailOrPhoneHint")} · {to("signUpCodeHint")}
      </p>
      <Field label={t("email")} name="email" type="email" autoComplete="email" errors={errors?.email} />
      <Field label={t("password")} name="password" type="password" autoComplete="new-password" errors={errors?.password} required />
      <FormMessage state={state} />
      <SubmitButton pending={pending}>{t("submitSignUp")}</SubmitButton>
    </form>
  );
}
