import Link from "next/link";
import { MoneyLabel } from "@/components/booking/money-label";
import type { MoneyStatus } from "@/lib/booking/money-status";
import type { BookingRow } from "@/lib/booking/staff-queries";
import { serviceLabel } from "./format";
import { formatDateTime } from "@/components/format";
import { Badge, EmptyState } from "./ui";

type Labels = { status: Record<string, string>; checkedIn: string; empty: string; seats: (n: number) => string };

/** Bookings as cards on a phone and rows on a desk; each opens the booking. */
export function AppointmentsList({
  rows,
  locale,
  timezone,
  labels,
  style = "time",
  testId,
}: {
  rows: (BookingRow & { money?: MoneyStatus })[];
  locale: string;
  timezone: string;
  labels: Labels;
  style?: "time" | "short";
  testId?: string;
}) {
  if (rows.length === 0) return <EmptyState>{labels.empty}</EmptyState>;
  return (
    <ul className="divide-y divide-stone-100" data-testid={testId}>
      {rows.map((b) => (
        <li key={b.id}>
          <Link
            prefetch={false}
            href={`/dashboard/bookings/${b.id}`}
            className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2.5 hover:bg-stone-50"
            data-testid="booking-row"
            data-code={b.code}
          >
            <span className="w-24 shrink-0 font-mono text-sm tabular-nums">{formatDateTime(b.startsAt, locale, timezone, style)}</span>
            <span className="min-w-0 flex-1">
              <span className="font-medium">{b.customerName}</span>
              <span className="text-stone-500">
                {" "}
                · {serviceLabel(b, locale)}
                {b.resourceName ? ` · ${b.resourceName}` : ""}
                {b.seats > 1 ? ` · ${labels.seats(b.seats)}` : ""}
              </span>
            </span>
            <span className="font-mono text-xs text-stone-500">{b.code}</span>
            {b.money && <MoneyLabel money={b.money} />}
            {b.checkedInAt && <Badge value="sent" label={labels.checkedIn} />}
            <Badge value={b.status} label={labels.status[b.status] ?? b.status} />
          </Link>
        </li>
      ))}
    </ul>
  );
}
