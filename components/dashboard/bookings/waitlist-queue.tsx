"use client";

import { useTranslations } from "next-intl";
import type { QueueEntry } from "@/lib/booking/waitlist";
import { ActionForm, type FormAction } from "../action-form";
import { secondaryButtonClass } from "../ui";

type Props = { bookingId: string; entries: QueueEntry[]; move: FormAction };

/** A slot's waitlist for staff, in queue order, with up/down to reorder the waiting entries (audited). */
export function WaitlistQueue({ bookingId, entries, move }: Props) {
  const t = useTranslations("dash.waitlist");
  const tw = useTranslations("waitlist");
  const live = entries.filter((e) => e.status === "waiting" || e.status === "offered");
  const waiting = live.filter((e) => e.status === "waiting").length;
  if (live.length === 0) return <p className="text-sm text-stone-500">{t("empty")}</p>;
  const moveForm = (e: QueueEntry, position: number, label: string) => (
    <ActionForm action={move} submitLabel={label} submitClass={secondaryButtonClass} className="contents">
      <input type="hidden" name="entryId" value={e.id} />
      <input type="hidden" name="bookingId" value={bookingId} />
      <input type="hidden" name="position" value={position} />
    </ActionForm>
  );
  return (
    <ol className="space-y-2" data-testid="waitlist-queue">
      {live.map((e) => (
        <li
          key={e.id}
          className="flex flex-wrap items-center justify-between gap-2 text-sm"
          data-testid="queue-entry"
          data-status={e.status}
        >
          <span>
            {e.position !== null ? `${e.position}. ` : ""}
            {e.customerName}
            {e.customerPhone ? ` · ${e.customerPhone}` : ""}
            {e.seats > 1 ? ` · ${t("seats", { count: e.seats })}` : ""} · {tw(`status.${e.status}`)}
          </span>
          {e.position !== null && (
            <span className="flex gap-1">
              {e.position > 1 && moveForm(e, e.position - 1, t("up"))}
              {e.position < waiting && moveForm(e, e.position + 1, t("down"))}
            </span>
          )}
        </li>
      ))}
    </ol>
  );
}
