"use client";

import { startTransition, useActionState } from "react";
import { useTranslations } from "next-intl";
import { Field, FormMessage, SubmitButton } from "@/components/ui/form";
import { useFixedFields } from "@/components/ui/use-fixed-fields";
import type { ActionResult } from "@/lib/actions";

type Props = { action: (prev: ActionResult | null, fd: FormData) => Promise<ActionResult>; callbackUrl: string };

export function SignInForm({ action, callbackUrl }: Props) {
  const t = useTranslations("auth");
  const [state, formAction, pending] = useActionState(action, null);
  const fixed = useFixedFields(state);
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
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Field
        label={t("identifier")}
        name="identifier"
        autoComplete="username"
        inputMode="email"
        errors={fixed.shown("identifier", state?.fieldErrors?.email ?? state?.fieldErrors?.identifier)}
        required
      />
      <Field
        label={t("password")}
        name="password"
        type="password"
        autoComplete="current-password"
        errors={fixed.shown("password", state?.fieldErrors?.password)}
        required
      />
      <FormMessage state={state} />
      <SubmitButton pending={pending}>{t("submitSignIn")}</SubmitButton>
    </form>
  );
}
