"use client";

import Link from "next/link";
import { useActionState } from "react";
import { useTranslations } from "next-intl";
import type { ActionResult } from "@/lib/actions";
import type { WaitlistEntryDto } from "@/lib/booking/waitlist";
import { BookingError } from "./booking-error";

type Action = (prev: ActionResult | null, formData: FormData) => Promise<ActionResult>;

/** What the customer can do with an entry: accept a free offer, pay a held one, leave the queue. */
export function WaitlistOffer({ entry, accept, leave }: { entry: WaitlistEntryDto; accept: Action; leave: Action }) {
  const t = useTranslations("waitlist");
  const [accepted, acceptDispatch, accepting] = useActionState(accept, null);
  const [left, leaveDispatch, leaving] = useActionState(leave, null);
  const live = entry.status === "waiting" || entry.status === "offered";
  if (left?.ok) {
    return (
      <p role="status" className="rounded-lg bg-stone-100 px-3 py-2 text-sm" data-testid="waitlist-left">
        {left.message}
      </p>
    );
  }
  return (
    <div className="space-y-3">
      <BookingError state={accepted ?? left} />
      <div className="flex flex-wrap gap-2">
        {entry.status === "offered" && entry.bookingId && (
          <Link
            href={`/bookings/${entry.bookingId}/pay`}
            className="rounded-full bg-brand-600 px-5 py-2 font-semibold text-white hover:bg-brand-700"
            data-testid="waitlist-pay"
          >
            {t("pay")}
          </Link>
        )}
        {entry.status === "offered" && !entry.bookingId && (
          <form action={acceptDispatch}>
            <input type="hidden" name="entryId" value={entry.id} />
            <button
              type="submit"
              disabled={accepting}
              className="rounded-full bg-brand-600 px-5 py-2 font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
              data-testid="waitlist-accept"
            >
              {t("accept")}
            </button>
          </form>
        )}
        {entry.status === "booked" && entry.bookingId && (
          <Link href={`/bookings/${entry.bookingId}`} className="rounded-full bg-brand-600 px-5 py-2 font-semibold text-white">
            {t("viewBooking")}
          </Link>
        )}
        {live && (
          <form action={leaveDispatch}>
            <input type="hidden" name="entryId" value={entry.id} />
            <button
              type="submit"
              disabled={leaving}
              className="rounded-full border border-stone-300 px-5 py-2 text-stone-700 hover:border-red-400 disabled:opacity-60"
              data-testid="waitlist-leave"
            >
              {t("leave")}
            </button>
          </form>
        )}
      </div>
    </div>
  );
}
