"use client";

import { useActionState, useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { Field, FormMessage, SubmitButton } from "@/components/ui/form";
import type { ActionResult } from "@/lib/actions";

type Props = {
  action: (prev: ActionResult | null, fd: FormData) => Promise<ActionResult>;
  /** Texts a code to the account's own number; absent when the account has none. */
  sendCode?: () => Promise<ActionResult>;
  hasPassword: boolean;
};

/** Deleting the account asks for the password or a code texted to the account's number. */
export function DeleteAccountForm({ action, sendCode, hasPassword }: Props) {
  const t = useTranslations("privacy");
  const to = useTranslations("otp");
  const [state, formAction, pending] = useActionState(action, null);
  const [sent, setSent] = useState<ActionResult | null>(null);
  const [sending, startSending] = useTransition();
  const errors = state?.fieldErrors;
  return (
    <form action={formAction} className="space-y-3" noValidate aria-label={t("deleteTitle")} data-testid="delete-account">
      {hasPassword && (
        <Field label={t("deletePassword")} name="password" type="password" autoComplete="current-password" errors={errors?.password} />
      )}
      {sendCode && (
        <div className="space-y-2">
          <p className="text-sm text-stone-600">{t("deleteOrCode")}</p>
          <div className="flex items-end gap-2">
            <div className="flex-1">
              <Field label={to("code")} name="code" inputMode="numeric" autoComplete="one-time-code" errors={errors?.code} />
            </div>
            <button
              type="button"
              className="rounded-lg border border-stone-300 px-3 py-2 text-sm"
              disabled={sending}
              onClick={() => startSending(async () => setSent(await sendCode()))}
            >
              {to("sendCode")}
            </button>
          </div>
          {sent && <FormMessage state={sent} />}
        </div>
      )}
      <FormMessage state={state} />
      <SubmitButton pending={pending}>{t("deleteSubmit")}</SubmitButton>
    </form>
  );
}
