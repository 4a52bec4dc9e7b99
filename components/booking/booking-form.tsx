"use client";

import { startTransition, useActionState, useState } from "react";
import { useTranslations } from "next-intl";
import { PhoneCodeFields, type SendCode } from "@/components/auth/phone-code-fields";
import { SubmitButton } from "@/components/ui/form";
import { formatFen } from "@/lib/money";
import { BookingError } from "./booking-error";
import { CustomField } from "./custom-field";
import type { UiLocale } from "./format";
import type { BookingFormState, FieldDefinition, Slot } from "./types";

type Props = {
  serviceId: string;
  slot: Slot;
  capacity: number;
  priceFen: number;
  currency: string;
  fields: FieldDefinition[];
  locale: UiLocale;
  /** Fresh per page render; with the slot id it is the booking's idempotency key. */
  nonce: string;
  action: (prev: BookingFormState, formData: FormData) => Promise<BookingFormState>;
  onRefresh: () => void;
  /** Guest booking: the visitor proves a phone number with an SMS code in this form instead of signing in first. */
  guestSendCode?: SendCode;
};

/** Codes after which the calendar is out of date. */
const STALE = new Set(["SLOT_FULL", "SLOT_CLOSED", "RESOURCE_BUSY", "RULE_VIOLATION", "NOT_FOUND"]);

export function BookingForm(props: Props) {
  const { serviceId, slot, capacity, priceFen, currency, fields, locale, nonce, action, onRefresh, guestSendCode } = props;
  const t = useTranslations("booking");
  const to = useTranslations("otp");
  const [state, dispatch, pending] = useActionState(action, null);
  // One key per form render: a double submit or a retry after a network error books once.
  const [idempotencyKey] = useState(() => `${nonce}:${slot.id}`);
  const [seats, setSeats] = useState(1);
  const maxSeats = Math.max(1, Math.min(slot.remaining, capacity, 10));
  const seatErrors = state?.fieldErrors?.seats;

  return (
    <form
      noValidate
      aria-label={t("formTitle")}
      data-testid="booking-form"
      className="space-y-4 border-t border-stone-100 pt-4"
      onSubmit={(e) => {
        e.preventDefault();
        // Not <form action>: React would reset the inputs after every attempt, losing the answers on an error.
        const formData = new FormData(e.currentTarget);
        startTransition(() => dispatch(formData));
      }}
    >
      <h3 className="font-semibold">{t("formTitle")}</h3>
      <input type="hidden" name="serviceId" value={serviceId} />
      <input type="hidden" name="timeslotId" value={slot.id} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      {capacity > 1 && (
        <div className="space-y-1">
          <label htmlFor="f-seats" className="block text-sm font-medium text-stone-700">
            {t("seats")}
          </label>
          <select
            id="f-seats"
            name="seats"
            value={seats}
            onChange={(e) => setSeats(Number(e.target.value))}
            aria-invalid={seatErrors?.length ? true : undefined}
            className="w-full rounded-lg border border-stone-300 bg-white px-3 py-2 text-base"
          >
            {Array.from({ length: maxSeats }, (_, i) => i + 1).map((n) => (
              <option key={n} value={n}>
                {t("seatsOption", { count: n })}
              </option>
            ))}
          </select>
          {seatErrors?.map((m) => (
            <p key={m} className="text-sm text-red-600" role="alert">
              {m}
            </p>
          ))}
        </div>
      )}
      {fields.map((def) => (
        <CustomField key={def.key} def={def} locale={locale} errors={state?.fieldErrors?.[`fields.${def.key}`]} />
      ))}
      {guestSendCode && (
        <PhoneCodeFields sendCode={guestSendCode} errors={{ phone: state?.fieldErrors?.phone, code: state?.fieldErrors?.code }} />
      )}
      <p className="text-sm text-stone-600">
        {priceFen === 0 ? t("freeBooking") : t("priceLine", { amount: formatFen(priceFen * seats, currency) })}
      </p>
      <BookingError state={state} onRefresh={state?.code && STALE.has(state.code) ? onRefresh : undefined} />
      <SubmitButton pending={pending}>{pending ? t("submitting") : guestSendCode ? to("guestSubmit") : t("submit")}</SubmitButton>
    </form>
  );
}
