"use client";

import { useActionState, useState } from "react";
import { useTranslations } from "next-intl";
import { formatFen } from "@/lib/money";
import { formatDateTime } from "../format";
import type { Locale } from "@/lib/i18n/config";

export type { CancelState } from "@/lib/site/types";
import type { CancelState } from "@/lib/site/types";

type Props = {
  bookingId: string;
  unpaid: boolean;
  /** Money moved, so the policy's refund is worth showing (never on a free or unpaid booking). */
  quoteRefund: boolean;
  cancellation: { allowed: boolean; deadline: string; refundFen: number; refundPercent: number };
  timezone: string;
  locale: Locale;
  currency: string;
  action: (prev: CancelState, formData: FormData) => Promise<CancelState>;
};

/** Cancel in two steps: first the refund the policy gives now, then the customer confirms. */
export function CancelBooking({ bookingId, unpaid, quoteRefund, cancellation, timezone, locale, currency, action }: Props) {
  const t = useTranslations("myBookings");
  const [confirming, setConfirming] = useState(false);
  const [state, formAction, pending] = useActionState(action, null);

  if (state?.ok) {
    return (
      <p role="status" className="text-sm text-green-700">
        {state.message}
      </p>
    );
  }
  if (!cancellation.allowed) {
    return (
      <p className="text-sm text-stone-500" data-testid="cancel-closed">
        {t("pastDeadline")}
      </p>
    );
  }
  if (!confirming) {
    return (
      <button
        type="button"
        onClick={() => setConfirming(true)}
        className="rounded-lg border border-stone-300 px-3 py-1.5 text-sm text-stone-700 hover:border-red-400 hover:text-red-700"
      >
        {t("cancel")}
      </button>
    );
  }
  return (
    <form
      action={formAction}
      role="group"
      aria-label={t("cancelConfirmTitle")}
      className="w-full space-y-2 rounded-lg border border-red-200 bg-red-50 p-3 text-sm"
      data-testid="cancel-confirm"
    >
      <input type="hidden" name="bookingId" value={bookingId} />
      <p className="font-medium text-stone-900">{t("cancelConfirmTitle")}</p>
      {quoteRefund && (
        <p data-testid="refund-quote">
          {t("refund", { amount: formatFen(cancellation.refundFen, currency), percent: cancellation.refundPercent })}
        </p>
      )}
      {unpaid && <p className="text-stone-600">{t("unpaidNote")}</p>}
      <p className="text-stone-600">{t("cancelDeadline", { time: formatDateTime(cancellation.deadline, locale, timezone, "long") })}</p>
      {state && !state.ok && state.message && (
        <p role="alert" className="text-red-700">
          {state.message}
        </p>
      )}
      <div className="flex gap-2">
        <button
          type="submit"
          disabled={pending}
          className="rounded-lg bg-red-600 px-3 py-1.5 font-medium text-white hover:bg-red-700 disabled:opacity-60"
        >
          {t("confirmCancel")}
        </button>
        <button type="button" onClick={() => setConfirming(false)} className="rounded-lg border border-stone-300 bg-white px-3 py-1.5">
          {t("keep")}
        </button>
      </div>
    </form>
  );
}
