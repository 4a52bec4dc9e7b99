"use client";

import Link from "next/link";
import { useCallback, useState } from "react";
import { useTranslations } from "next-intl";
import { DateTime } from "luxon";
import type { SendCode } from "@/components/auth/phone-code-fields";
import { BookingForm } from "./booking-form";
import type { Locale } from "@/lib/i18n/config";
import { SlotDetails } from "./slot-details";
import { SlotPicker } from "./slot-picker";
import { StaffPicker } from "./staff-picker";
import { WaitlistForm } from "./waitlist-form";
import type { BookingFormState, FieldDefinition, LoadSlots, Slot } from "./types";
import type { BookerPass, PreviewCharge } from "@/lib/site/types";
import type { StaffDto } from "@/lib/services/queries";

type Props = {
  service: { id: string; capacity: number; priceFen: number; dueBySeats: number[]; currency: string; fields: FieldDefinition[] };
  timezone: string;
  locale: Locale;
  initial: { slots: Slot[]; from: string; to: string } | null;
  initialDate: string;
  /** A slot to show selected on arrival (chosen before signing in). */
  initialSelectedId?: string | null;
  /** The page's own path for anonymous visitors (sign-in comes back to the chosen slot); null when signed in. */
  signInReturn: string | null;
  /** Anonymous visitors may book with phone + SMS code instead (guest booking). */
  sendCode?: SendCode;
  nonce: string;
  loadSlots: LoadSlots;
  createBooking: (prev: BookingFormState, formData: FormData) => Promise<BookingFormState>;
  /** 加入候补 on a full slot (signed-in customers). */
  joinWaitlist?: Parameters<typeof WaitlistForm>[0]["action"];
  /** Paying with a card or a coupon: the customer's usable cards and the price preview. */
  pay?: { passes: BookerPass[]; preview: PreviewCharge };
  /** Who offers the service (选技师); empty: nobody to pick. */
  staff?: StaffDto[];
};

/** Service page: pick a day and a time, read why a disabled one is not bookable, fill the form. */
export function BookingPanel(props: Props) {
  const { service, timezone, locale, initial, initialDate, initialSelectedId, signInReturn, sendCode, nonce, loadSlots, createBooking } =
    props;
  const t = useTranslations("booking");
  const tw = useTranslations("waitlist");
  const to = useTranslations("otp");
  const staff = props.staff ?? [];
  const [staffId, setStaffId] = useState<string | null>(null);
  const [daySlots, setDaySlots] = useState<Slot[]>([]);
  const onDaySlots = useCallback((_date: string, list: Slot[]) => setDaySlots(list), []);
  const now = Date.now();
  const freeCount = (id: string) =>
    daySlots.filter((s) => s.state === "open" && Date.parse(s.startsAt) > now && s.staff?.some((m) => m.id === id && m.remaining > 0))
      .length;
  // Back to this page with the chosen slot selected again (its day in the business zone).
  const signInHref = (slot: Slot, by?: "code") => {
    const day = DateTime.fromISO(slot.startsAt, { zone: timezone }).toISODate() ?? initialDate;
    const back = `${signInReturn}?${new URLSearchParams({ date: day, slot: slot.id })}`;
    return `/signin?${new URLSearchParams({ callbackUrl: back, ...(by ? { by } : {}) })}`;
  };
  const form = (slot: Slot, refresh: () => void, guestSendCode?: SendCode) => (
    <BookingForm
      key={slot.id}
      serviceId={service.id}
      slot={slot}
      capacity={service.capacity}
      priceFen={service.priceFen}
      dueBySeats={service.dueBySeats}
      currency={service.currency}
      fields={service.fields}
      locale={locale}
      nonce={nonce}
      action={createBooking}
      onRefresh={refresh}
      guestSendCode={guestSendCode}
      passes={props.pay?.passes}
      preview={props.pay?.preview}
      staffId={staffId}
    />
  );
  return (
    <div className="space-y-4">
      {staff.length > 0 && <StaffPicker staff={staff} value={staffId} onChange={setStaffId} freeCount={freeCount} />}
      <SlotPicker
        serviceId={service.id}
        timezone={timezone}
        locale={locale}
        initial={initial}
        initialDate={initialDate}
        initialSelectedId={initialSelectedId}
        loadSlots={loadSlots}
        staffId={staffId}
        onDaySlots={onDaySlots}
      >
        {({ selected, refresh }) =>
          selected ? (
            <SlotDetails slot={selected} timezone={timezone} locale={locale}>
              {selected.state === "open" &&
                (signInReturn ? (
                  <div className="space-y-3">
                    <p className="rounded-lg bg-brand-50 px-3 py-2 text-sm text-brand-700" data-testid="sign-in-to-book">
                      {t("signInToBook")}{" "}
                      <Link href={signInHref(selected)} className="font-medium underline">
                        {t("signInLink")}
                      </Link>
                      {" · "}
                      <Link href={signInHref(selected, "code")} className="font-medium underline">
                        {to("signInWithCode")}
                      </Link>
                    </p>
                    {sendCode && (
                      <section className="space-y-1" data-testid="guest-booking">
                        <h3 className="font-semibold">{to("guestTitle")}</h3>
                        <p className="text-sm text-stone-600">{to("guestHint")}</p>
                        {form(selected, refresh, sendCode)}
                      </section>
                    )}
                  </div>
                ) : (
                  <>
                    {form(selected, refresh)}
                    <Link
                      href={`/services/${service.id}/series?slot=${selected.id}`}
                      className="inline-block text-sm font-medium text-brand-700 underline"
                      data-testid="book-weekly"
                    >
                      {t("bookWeekly")}
                    </Link>
                  </>
                ))}
              {selected.state === "full" &&
                props.joinWaitlist &&
                (signInReturn ? (
                  <p className="rounded-lg bg-brand-50 px-3 py-2 text-sm text-brand-700" data-testid="sign-in-to-waitlist">
                    {tw("signInToJoin")}{" "}
                    <Link href={signInHref(selected)} className="font-medium underline">
                      {t("signInLink")}
                    </Link>
                  </p>
                ) : (
                  <WaitlistForm
                    key={selected.id}
                    serviceId={service.id}
                    slot={selected}
                    capacity={service.capacity}
                    fields={service.fields}
                    locale={locale}
                    action={props.joinWaitlist}
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
    </div>
  );
}
