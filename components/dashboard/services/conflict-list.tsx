"use client";

import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import type { DashResult } from "@/lib/dashboard/run-action";
import type { SlotConflict } from "@/lib/booking/slot-conflicts";
import { ActionForm } from "../action-form";
import { serviceLabel } from "../format";
import { formatDateTime } from "@/components/format";
import { Badge, EmptyState, compactInputClass, secondaryButtonClass } from "../ui";

/** Each conflicting slot with its bookings, and the two ways to settle it: cancel with notice, or keep. */
export function ConflictList({
  conflicts,
  timezone,
  resolveAction,
  showService = false,
}: {
  conflicts: SlotConflict[];
  timezone: string;
  /** The server action that settles one slot (passed in by the page: components do not import app/). */
  resolveAction: (prev: DashResult | null, fd: FormData) => Promise<DashResult>;
  showService?: boolean;
}) {
  const t = useTranslations("dash.conflicts");
  const ts = useTranslations("dash.status");
  const locale = useLocale();
  if (conflicts.length === 0) return <EmptyState testId="conflicts-empty">{t("empty")}</EmptyState>;
  return (
    <ul className="divide-y divide-stone-100" data-testid="conflict-list">
      {conflicts.map((c) => (
        <li key={c.slotId} className="space-y-2 py-3" data-testid="conflict" data-slot-id={c.slotId}>
          <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1 text-sm">
            <span className="font-mono font-medium tabular-nums">{formatDateTime(c.startsAt, locale, timezone, "full")}</span>
            {showService && (
              <Link prefetch={false} href={`/dashboard/services/${c.serviceId}`} className="text-brand-700 underline">
                {serviceLabel(c, locale)}
              </Link>
            )}
            <Badge value={c.reason === "off_schedule" ? "closed" : "partial"} label={t(`reasons.${c.reason}`)} testId="conflict-reason" />
            <span className="text-stone-500">{t("booked", { booked: c.bookedCount, capacity: c.capacity })}</span>
          </div>
          <ul className="text-sm text-stone-700">
            {c.bookings.map((b) => (
              <li key={b.id} className="flex flex-wrap gap-x-2">
                <Link prefetch={false} href={`/dashboard/bookings/${b.id}`} className="font-mono underline" data-testid="conflict-booking">
                  {b.code}
                </Link>
                <span>{b.customerName}</span>
                <span className="text-stone-500">{t("seats", { count: b.seats })}</span>
                <span className="text-stone-500">{ts(b.status)}</span>
              </li>
            ))}
          </ul>
          <ActionForm
            action={resolveAction}
            submitLabel={t("keep")}
            submitClass="hidden"
            className="flex flex-wrap items-center gap-2"
            resultTestId="conflict-result"
            testId="conflict-form"
          >
            <input type="hidden" name="slotId" value={c.slotId} />
            <input name="reason" placeholder={t("reason")} aria-label={t("reason")} className={`${compactInputClass} w-56`} />
            <button
              type="submit"
              name="action"
              value="cancel"
              className="rounded-lg bg-rose-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-rose-700"
              data-testid="conflict-cancel"
            >
              {c.reason === "off_schedule" ? t("cancelAll") : t("cancelLatest")}
            </button>
            <button type="submit" name="action" value="keep" className={secondaryButtonClass} data-testid="conflict-keep">
              {t("keep")}
            </button>
          </ActionForm>
        </li>
      ))}
    </ul>
  );
}
