"use client";

import Link from "next/link";
import { useEffect, useRef } from "react";
import { useLocale, useTranslations } from "next-intl";
import { formatDateTime } from "@/components/format";
import { Badge } from "../ui";
import { BookOnBehalf } from "./book-on-behalf";
import type { CalEvent, ServiceInfo } from "./types";

/** The detail of a clicked booking, or the booking-on-behalf form of a clicked open slot. */
export function EventPanel({
  event,
  timezone,
  service,
  onClose,
  onBooked,
}: {
  event: CalEvent;
  timezone: string;
  service?: ServiceInfo;
  onClose: () => void;
  onBooked: () => void;
}) {
  const t = useTranslations("dash");
  const locale = useLocale();
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    // A block body on purpose: newer browsers return a promise from scrollIntoView, and React would take it for a cleanup.
    ref.current?.scrollIntoView({ behavior: "smooth", block: "nearest" });
  }, [event]);
  const when = `${formatDateTime(event.start, locale, timezone, "full")} – ${formatDateTime(event.end, locale, timezone, "time")}`;
  return (
    <section ref={ref} className="rounded-xl border border-brand-100 bg-white p-4 shadow-sm" data-testid="event-panel">
      <div className="mb-2 flex items-start justify-between gap-2">
        <div>
          <h2 className="font-semibold">{event.kind === "booking" ? event.customerName : event.serviceName}</h2>
          <p className="text-sm text-stone-500">{when}</p>
        </div>
        <button type="button" onClick={onClose} className="text-stone-500 hover:text-stone-800" aria-label={t("close")}>
          ✕
        </button>
      </div>
      {event.kind === "booking" ? (
        <div className="space-y-2 text-sm">
          <p>
            {event.serviceName}
            {event.resourceName ? ` · ${event.resourceName}` : ""} · {t("seats", { count: event.seats })}
          </p>
          <p className="flex flex-wrap items-center gap-2">
            <Badge value={event.status} label={t(`status.${event.status}`)} />
            {event.checkedIn && <Badge value="sent" label={t("checkedIn")} />}
            <span className="font-mono" data-testid="panel-code">
              {event.code}
            </span>
            {event.customerPhone && (
              <a className="text-brand-600 underline" href={`tel:${event.customerPhone}`}>
                {event.customerPhone}
              </a>
            )}
          </p>
          <Link
            prefetch={false}
            className="inline-block text-brand-600 underline"
            href={`/dashboard/bookings/${event.id}`}
            data-testid="panel-open-booking"
          >
            {t("calendar.openBooking")}
          </Link>
        </div>
      ) : event.status === "closed" ? (
        <p className="text-sm text-stone-500">{t("calendar.slotClosed")}</p>
      ) : event.remaining <= 0 || !service ? (
        <p className="text-sm text-stone-500">{t("calendar.slotFull")}</p>
      ) : (
        <>
          <p className="mb-2 text-sm">{t("calendar.seatsLeft", { remaining: event.remaining, capacity: event.capacity })}</p>
          <BookOnBehalf key={event.id} slotId={event.id} service={service} remaining={event.remaining} onBooked={onBooked} />
        </>
      )}
    </section>
  );
}
