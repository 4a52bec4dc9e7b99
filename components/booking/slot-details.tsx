"use client";

import type { ReactNode } from "react";
import { useTranslations } from "next-intl";
import { formatSlotRange } from "./format";
import type { Locale } from "@/lib/i18n/config";
import type { Slot } from "./types";

/** The chosen slot: when it is, seats left, and for a disabled slot every reason it cannot be booked. */
export function SlotDetails({ slot, timezone, locale, children }: { slot: Slot; timezone: string; locale: Locale; children?: ReactNode }) {
  const t = useTranslations("calendar");
  const tb = useTranslations("booking");
  const open = slot.state === "open";
  return (
    <section
      className={`space-y-3 rounded-xl border p-4 ${open ? "border-brand-100 bg-white" : "border-stone-200 bg-stone-50"}`}
      data-testid="slot-details"
      data-state={slot.state}
      aria-label={tb("selected")}
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <div>
          <p className="text-xs text-stone-500">{tb("selected")}</p>
          <p className="font-semibold" data-testid="slot-time">
            {formatSlotRange(slot.startsAt, slot.endsAt, timezone, locale)}
          </p>
        </div>
        <span
          className={`rounded-full px-2 py-0.5 text-xs font-medium ${open ? "bg-brand-50 text-brand-700" : "bg-stone-200 text-stone-600"}`}
        >
          {open ? t("remaining", { count: slot.remaining }) : t(slot.state)}
        </span>
      </div>
      {!open && (
        <div role="alert" className="rounded-lg bg-stone-100 px-3 py-2 text-sm text-stone-700">
          <p className="font-medium">{tb("unavailableTitle")}</p>
          <ul className="mt-1 list-inside list-disc" data-testid="slot-reasons">
            {(slot.reasons.length > 0 ? slot.reasons.map((r) => r.text) : [t(slot.state)]).map((text) => (
              <li key={text}>{text}</li>
            ))}
          </ul>
        </div>
      )}
      {children}
    </section>
  );
}
