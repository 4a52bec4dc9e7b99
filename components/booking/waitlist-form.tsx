"use client";

import Link from "next/link";
import { startTransition, useActionState, useState } from "react";
import { useTranslations } from "next-intl";
import type { ActionResult } from "@/lib/actions";
import type { Locale } from "@/lib/i18n/config";
import { BookingError } from "./booking-error";
import { CustomField } from "./custom-field";
import type { FieldDefinition, Slot } from "./types";

type Props = {
  serviceId: string;
  slot: Slot;
  capacity: number;
  fields: FieldDefinition[];
  locale: Locale;
  action: (prev: ActionResult | null, formData: FormData) => Promise<ActionResult>;
};

/** 加入候补 on a full slot: seats and the service's form, then the place in the queue. */
export function WaitlistForm({ serviceId, slot, capacity, fields, locale, action }: Props) {
  const t = useTranslations("waitlist");
  const tb = useTranslations("booking");
  const [state, dispatch, pending] = useActionState(action, null);
  const [seats, setSeats] = useState(1);
  if (state?.ok) {
    return (
      <p role="status" className="rounded-lg bg-brand-50 px-3 py-2 text-sm text-brand-700" data-testid="waitlist-joined">
        {state.message}{" "}
        <Link href="/me" className="font-medium underline">
          {t("mine")}
        </Link>
      </p>
    );
  }
  return (
    <form
      noValidate
      data-testid="waitlist-form"
      className="space-y-3 border-t border-stone-100 pt-4"
      onSubmit={(e) => {
        e.preventDefault();
        const formData = new FormData(e.currentTarget);
        startTransition(() => dispatch(formData));
      }}
    >
      <p className="text-sm text-stone-600">{t("joinHint")}</p>
      <input type="hidden" name="serviceId" value={serviceId} />
      <input type="hidden" name="timeslotId" value={slot.id} />
      {capacity > 1 && (
        <div className="space-y-1">
          <label htmlFor="w-seats" className="block text-sm font-medium text-stone-700">
            {tb("seats")}
          </label>
          <select
            id="w-seats"
            name="seats"
            value={seats}
            onChange={(e) => setSeats(Number(e.target.value))}
            className="w-full rounded-lg border border-stone-300 bg-white px-3 py-2 text-base"
          >
            {Array.from({ length: Math.min(capacity, 10) }, (_, i) => i + 1).map((n) => (
              <option key={n} value={n}>
                {tb("seatsOption", { count: n })}
              </option>
            ))}
          </select>
        </div>
      )}
      {fields.map((def) => (
        <CustomField key={def.key} def={def} locale={locale} errors={state?.fieldErrors?.[`fields.${def.key}`]} />
      ))}
      <BookingError state={state} />
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-full bg-brand-600 px-6 py-2.5 font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
      >
        {pending ? tb("submitting") : t("join")}
      </button>
    </form>
  );
}
