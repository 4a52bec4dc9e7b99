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
          {event.kind === "class" && event.resourceName && <p className="text-sm text-stone-500">{event.resourceName}</p>}
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
            {/* Masked in the calendar (lib/pii): the booking's page shows the number, audited. */}
            {event.customerPhone && (
              <span className="font-mono text-stone-600" data-testid="panel-phone">
                {event.customerPhone}
              </span>
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
      ) : event.kind === "class" ? (
        <div className="space-y-3 text-sm">
          <h3 className="font-medium">{t("calendar.roster", { booked: event.booked, capacity: event.capacity })}</h3>
          <ul className="divide-y divide-stone-100" data-testid="class-roster">
            {event.roster.map((r) => (
              <li key={r.id}>
                <Link
                  prefetch={false}
                  href={`/dashboard/bookings/${r.id}`}
                  className="flex flex-wrap items-center gap-2 py-1.5 hover:bg-stone-50"
                  data-testid="roster-row"
                  data-code={r.code}
                >
                  <span className="flex-1 font-medium">{r.customerName}</span>
                  {r.seats > 1 && <span className="text-stone-500">{t("seats", { count: r.seats })}</span>}
                  {r.checkedIn && <Badge value="sent" label={t("checkedIn")} />}
                  <Badge value={r.status} label={t(`status.${r.status}`)} />
                  <span className="font-mono text-xs text-stone-500">{r.code}</span>
                </Link>
              </li>
            ))}
          </ul>
          {event.status === "open" && event.remaining > 0 && service && (
            <>
              <p>{t("calendar.seatsLeft", { remaining: event.remaining, capacity: event.capacity })}</p>
              <BookOnBehalf key={event.id} slotId={event.id} service={service} remaining={event.remaining} onBooked={onBooked} />
            </>
          )}
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
