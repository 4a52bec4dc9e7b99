"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { ActionForm, type FormAction } from "./action-form";
import { inputClass } from "./ui";

/** 核销: type (or scan with the phone's keyboard scanner) the code the customer shows. */
export function CheckInBox({ action }: { action: FormAction<{ bookingId: string }> }) {
  const t = useTranslations("dash.checkIn");
  return (
    <ActionForm
      action={action}
      submitLabel={t("submit")}
      resetOnSuccess
      testId="check-in-form"
      resultTestId="check-in-result"
      className="flex flex-col gap-2 sm:flex-row sm:items-start"
    >
      {(state) => (
        <div className="flex-1 space-y-1">
          <label htmlFor="check-in-code" className="sr-only">
            {t("label")}
          </label>
          <input
            id="check-in-code"
            name="code"
            placeholder={t("placeholder")}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            className={`${inputClass} font-mono uppercase tracking-widest`}
            required
          />
          {state?.ok && state.data && (
            <Link prefetch={false} href={`/dashboard/bookings/${state.data.bookingId}`} className="text-sm text-brand-600 underline">
              {t("open")}
            </Link>
          )}
        </div>
      )}
    </ActionForm>
  );
}
