"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { Field, FormMessage, SubmitButton } from "@/components/ui/form";
import type { ActionResult } from "@/lib/actions";

type Props = { action: (prev: ActionResult | null, fd: FormData) => Promise<ActionResult>; callbackUrl: string };

export function SignInForm({ action, callbackUrl }: Props) {
  const t = useTranslations("auth");
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Field
        label={t("identifier")}
        name="identifier"
        autoComplete="username"
        inputMode="email"
        errors={state?.fieldErrors?.email ?? state?.fieldErrors?.identifier}
        required
      />
      <Field
        label={t("password")}
        name="password"
        type="password"
        autoComplete="current-password"
        errors={state?.fieldErrors?.password}
        required
      />
      <FormMessage state={state} />
      <SubmitButton pending={pending}>{t("submitSignIn")}</SubmitButton>
    </form>
  );
}
