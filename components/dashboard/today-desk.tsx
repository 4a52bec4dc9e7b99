"use client";

import Link from "next/link";
import { useActionState } from "react";
import { useLocale, useTranslations } from "next-intl";
import type { FormAction } from "./action-form";
import { formatDateTime } from "@/components/format";
import { MoneyLabel } from "@/components/booking/money-label";
import type { MoneyStatus } from "@/lib/booking/money-status";
import { Badge, EmptyState } from "./ui";

export type DeskRow = {
  id: string;
  code: string;
  status: string;
  startsAt: string;
  customerName: string;
  serviceName: string;
  resourceName: string | null;
  seats: number;
  checkedIn: boolean;
  money: MoneyStatus;
};

const small = "rounded-lg px-3 py-1.5 text-sm font-medium disabled:opacity-50";

function RowButton({
  action,
  fields,
  label,
  className,
  testId,
}: {
  action: FormAction;
  fields: Record<string, string>;
  label: string;
  className: string;
  testId: string;
}) {
  const [state, run, pending] = useActionState(action, null);
  return (
    <form action={run} className="contents">
      {Object.entries(fields).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <button type="submit" disabled={pending} className={`${small} ${className}`} data-testid={testId}>
        {label}
      </button>
      {state && !state.ok && (
        <span role="alert" className="basis-full text-xs text-rose-700">
          {state.message}
        </span>
      )}
    </form>
  );
}

/**
 * Today at the desk, phone first: each appointment with 签到 (check in) and, once it has started
 * without the customer, 爽约 (no-show) one tap away; the row opens the booking for everything else.
 */
export function TodayDesk({
  rows,
  timezone,
  now,
  checkIn,
  noShow,
}: {
  rows: DeskRow[];
  timezone: string;
  now: string;
  checkIn: FormAction;
  noShow: FormAction;
}) {
  const t = useTranslations("dash");
  const locale = useLocale();
  if (rows.length === 0) return <EmptyState>{t("overview.todayEmpty")}</EmptyState>;
  return (
    <ul className="divide-y divide-stone-100" data-testid="today-desk">
      {rows.map((b) => {
        const started = b.startsAt <= now;
        const open = b.status === "confirmed" && !b.checkedIn;
        return (
          <li key={b.id} className="flex flex-wrap items-center gap-2 py-2.5" data-testid="desk-row" data-code={b.code}>
            <Link
              prefetch={false}
              href={`/dashboard/bookings/${b.id}`}
              className="flex min-w-0 flex-1 flex-wrap items-center gap-x-3 gap-y-1"
            >
              <span className="w-12 shrink-0 font-mono text-sm tabular-nums">{formatDateTime(b.startsAt, locale, timezone, "time")}</span>
              <span className="min-w-0 flex-1">
                <span className="font-medium">{b.customerName}</span>
                <span className="text-stone-500">
                  {" "}
                  · {b.serviceName}
                  {b.resourceName ? ` · ${b.resourceName}` : ""}
                  {b.seats > 1 ? ` · ${t("seats", { count: b.seats })}` : ""}
                </span>
              </span>
            </Link>
            <MoneyLabel money={b.money} />
            {b.checkedIn && <Badge value="sent" label={t("checkedIn")} />}
            <Badge value={b.status} label={t(`status.${b.status}`)} />
            {open && (
              <span className="flex gap-2">
                <RowButton
                  action={checkIn}
                  fields={{ code: b.code }}
                  label={t("overview.checkInRow")}
                  className="bg-brand-600 text-white hover:bg-brand-700"
                  testId="desk-check-in"
                />
                {started && (
                  <RowButton
                    action={noShow}
                    fields={{ bookingId: b.id, reason: "" }}
                    label={t("overview.noShowRow")}
                    className="border border-rose-300 text-rose-700 hover:bg-rose-50"
                    testId="desk-no-show"
                  />
                )}
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
