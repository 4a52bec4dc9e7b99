"use client";

import { startTransition, useActionState } from "react";
import { useTranslations } from "next-intl";
import { SubmitButton } from "@/components/ui/form";
import { BookingError } from "./booking-error";
import type { Locale } from "@/lib/i18n/config";
import { SlotDetails } from "./slot-details";
import { SlotPicker } from "./slot-picker";
import type { BookingFormState, LoadSlots, Slot } from "./types";

type Props = {
  bookingId: string;
  serviceId: string;
  currentSlotId: string;
  timezone: string;
  locale: Locale;
  initial: { slots: Slot[]; from: string; to: string } | null;
  initialDate: string;
  loadSlots: LoadSlots;
  action: (prev: BookingFormState, formData: FormData) => Promise<BookingFormState>;
};

function MoveForm({
  bookingId,
  slot,
  action,
  onRefresh,
}: {
  bookingId: string;
  slot: Slot;
  action: Props["action"];
  onRefresh: () => void;
}) {
  const t = useTranslations("myBookings");
  const tb = useTranslations("booking");
  const [state, dispatch, pending] = useActionState(action, null);
  return (
    <form
      className="space-y-3 border-t border-stone-100 pt-4"
      onSubmit={(e) => {
        e.preventDefault();
        const formData = new FormData(e.currentTarget);
        startTransition(() => dispatch(formData));
      }}
    >
      <input type="hidden" name="bookingId" value={bookingId} />
      <input type="hidden" name="timeslotId" value={slot.id} />
      <BookingError state={state} onRefresh={onRefresh} />
      <SubmitButton pending={pending}>{pending ? tb("submitting") : t("rescheduleSubmit")}</SubmitButton>
    </form>
  );
}

/** The service's calendar with the current slot marked; choosing an open slot offers the move. */
export function ReschedulePanel({ bookingId, serviceId, currentSlotId, timezone, locale, initial, initialDate, loadSlots, action }: Props) {
  const t = useTranslations("myBookings");
  return (
    <SlotPicker
      serviceId={serviceId}
      timezone={timezone}
      locale={locale}
      initial={initial}
      initialDate={initialDate}
      loadSlots={loadSlots}
      currentSlotId={currentSlotId}
    >
      {({ selected, refresh }) =>
        selected ? (
          <SlotDetails slot={selected} timezone={timezone} locale={locale}>
            {selected.id === currentSlotId ? (
              <p className="text-sm text-stone-600">{t("rescheduleIsCurrent")}</p>
            ) : (
              selected.state === "open" && (
                <MoveForm key={selected.id} bookingId={bookingId} slot={selected} action={action} onRefresh={refresh} />
              )
            )}
          </SlotDetails>
        ) : (
          <p className="rounded-lg border border-dashed border-stone-300 px-3 py-4 text-center text-sm text-stone-500">
            {t("rescheduleChoose")}
          </p>
        )
      }
    </SlotPicker>
  );
}
