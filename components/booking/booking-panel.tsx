"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { BookingForm } from "./booking-form";
import type { Locale } from "@/lib/i18n/config";
import { SlotDetails } from "./slot-details";
import { SlotPicker } from "./slot-picker";
import type { BookingFormState, FieldDefinition, LoadSlots, Slot } from "./types";

type Props = {
  service: { id: string; capacity: number; priceFen: number; dueBySeats: number[]; currency: string; fields: FieldDefinition[] };
  timezone: string;
  locale: Locale;
  initial: { slots: Slot[]; from: string; to: string } | null;
  initialDate: string;
  /** null for anonymous visitors: they are asked to sign in before the form. */
  signInHref: string | null;
  nonce: string;
  loadSlots: LoadSlots;
  createBooking: (prev: BookingFormState, formData: FormData) => Promise<BookingFormState>;
};

/** Service page: pick a day and a time, read why a disabled one is not bookable, fill the form. */
export function BookingPanel({ service, timezone, locale, initial, initialDate, signInHref, nonce, loadSlots, createBooking }: Props) {
  const t = useTranslations("booking");
  return (
    <SlotPicker
      serviceId={service.id}
      timezone={timezone}
      locale={locale}
      initial={initial}
      initialDate={initialDate}
      loadSlots={loadSlots}
    >
      {({ selected, refresh }) =>
        selected ? (
          <SlotDetails slot={selected} timezone={timezone} locale={locale}>
            {selected.state === "open" &&
              (signInHref ? (
                <p className="rounded-lg bg-brand-50 px-3 py-2 text-sm text-brand-700" data-testid="sign-in-to-book">
                  {t("signInToBook")}{" "}
                  <Link href={signInHref} className="font-medium underline">
                    {t("signInLink")}
                  </Link>
                </p>
              ) : (
                <BookingForm
                  key={selected.id}
                  serviceId={service.id}
                  slot={selected}
                  capacity={service.capacity}
                  priceFen={service.priceFen}
                  dueBySeats={service.dueBySeats}
                  currency={service.currency}
                  fields={service.fields}
                  locale={locale}
                  nonce={nonce}
                  action={createBooking}
                  onRefresh={refresh}
                />
              ))}
          </SlotDetails>
        ) : (
          <p className="rounded-lg border border-dashed border-stone-300 px-3 py-4 text-center text-sm text-stone-500">
            {t("noSelection")}
          </p>
        )
      }
    </SlotPicker>
  );
}
