"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { Field, FormMessage, SubmitButton } from "@/components/ui/form";
import type { ActionResult } from "@/lib/actions";

type Props = { action: (prev: ActionResult | null, fd: FormData) => Promise<ActionResult> };

export function SignUpForm({ action }: Props) {
  const t = useTranslations("auth");
  const [state, formAction, pending] = useActionState(action, null);
  const errors = state?.fieldErrors;
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <Field label={t("name")} name="name" autoComplete="name" errors={errors?.name} required />
      <Field
        label={t("phone")}
        name="phone"
        type="tel"
        autoComplete="tel"
        inputMode="tel"
        errors={errors?.phone}
        hint={t("emailOrPhoneHint")}
      />
      <Field label={t("email")} name="email" type="email" autoComplete="email" errors={errors?.email} />
      <Field label={t("password")} name="password" type="password" autoComplete="new-password" errors={errors?.password} required />
      <FormMessage state={state} />
      <SubmitButton pending={pending}>{t("submitSignUp")}</SubmitButton>
    </form>
  );
}
