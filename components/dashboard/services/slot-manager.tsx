"use client";

import { useRef, useState } from "react";
import { useLocale, useTranslations } from "next-intl";
import { generateSlotsAction, setSlotStatusAction } from "@/lib/dashboard/actions/services";
import type { SlotRow } from "@/lib/services/staff-queries";
import { ActionForm } from "../action-form";
import { formatDateTime } from "@/components/format";
import { Badge, EmptyState, compactInputClass, inputClass, secondaryButtonClass } from "../ui";

/** Generate slots from the schedule; close or reopen the chosen ones (bookings already made stay). */
export function SlotManager({
  serviceId,
  slots,
  timezone,
  today,
  total,
}: {
  serviceId: string;
  slots: SlotRow[];
  timezone: string;
  today: string;
  total: number;
}) {
  const t = useTranslations("dash.slots");
  const locale = useLocale();
  const status = useRef<HTMLInputElement>(null);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const toggle = (id: string) =>
    setPicked((p) => {
      const next = new Set(p);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <div className="space-y-4">
      <ActionForm
        action={generateSlotsAction}
        submitLabel={t("generate")}
        testId="generate-form"
        resultTestId="generate-result"
        className="flex flex-wrap items-end gap-2"
      >
        <input type="hidden" name="serviceId" value={serviceId} />
        <label className="text-sm">
          {t("from")}
          <input type="date" name="from" defaultValue={today} className={inputClass} />
        </label>
        <label className="text-sm">
          {t("days")}
          <input type="number" name="days" min={1} max={366} defaultValue={28} className={`${compactInputClass} w-24`} />
        </label>
      </ActionForm>
      <ActionForm
        action={setSlotStatusAction}
        submitLabel={t("apply")}
        submitClass="hidden"
        testId="slot-status-form"
        resultTestId="slot-status-result"
        onResult={(s) => s.ok && setPicked(new Set())}
      >
        <input type="hidden" name="serviceId" value={serviceId} />
        <input type="hidden" name="status" defaultValue="closed" ref={status} />
        <div className="flex flex-wrap items-center gap-2">
          <span className="text-sm text-stone-500">{t("shown", { shown: slots.length, total })}</span>
          <button
            type="submit"
            className={secondaryButtonClass}
            disabled={picked.size === 0}
            onClick={() => {
              if (status.current) status.current.value = "closed";
            }}
            data-testid="close-slots"
          >
            {t("close", { count: picked.size })}
          </button>
          <button
            type="submit"
            className={secondaryButtonClass}
            disabled={picked.size === 0}
            onClick={() => {
              if (status.current) status.current.value = "open";
            }}
            data-testid="reopen-slots"
          >
            {t("reopen", { count: picked.size })}
          </button>
        </div>
        {slots.length === 0 ? (
          <EmptyState>{t("empty")}</EmptyState>
        ) : (
          <ul className="grid max-h-96 grid-cols-1 gap-1 overflow-y-auto text-sm sm:grid-cols-2" data-testid="slot-list">
            {slots.map((s) => (
              <li key={s.id}>
                <label className="flex items-center gap-2 rounded-lg px-2 py-1 hover:bg-stone-50">
                  <input type="checkbox" name="slotIds" value={s.id} checked={picked.has(s.id)} onChange={() => toggle(s.id)} />
                  <span className="font-mono tabular-nums">{formatDateTime(s.startsAt, locale, timezone, "short")}</span>
                  <span className="text-stone-500">
                    {s.bookedCount}/{s.capacity}
                  </span>
                  <Badge value={s.status} label={t(s.status)} />
                </label>
              </li>
            ))}
          </ul>
        )}
      </ActionForm>
    </div>
  );
}
