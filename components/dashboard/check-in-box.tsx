"use client";

import Link from "next/link";
import { useRef } from "react";
import { useTranslations } from "next-intl";
import { ActionForm, type FormAction } from "./action-form";
import { QrScanButton } from "./qr-scan-button";
import { inputClass } from "./ui";

/** 核销: scan the voucher's QR with the camera, or type the code the customer shows. */
export function CheckInBox({ action }: { action: FormAction<{ bookingId: string }> }) {
  const t = useTranslations("dash.checkIn");
  const input = useRef<HTMLInputElement>(null);
  // A scanned code is checked in at once, as if typed and submitted.
  const scanned = (code: string) => {
    if (!input.current) return;
    input.current.value = code.toUpperCase();
    input.current.form?.requestSubmit();
  };
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
            ref={input}
            id="check-in-code"
            name="code"
            placeholder={t("placeholder")}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            className={`${inputClass} font-mono uppercase tracking-widest`}
            required
          />
          <QrScanButton onCode={scanned} />
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
