import "server-only";
import { aliasedTable, and, asc, eq, notExists } from "drizzle-orm";
import type { Db } from "@/db/client";
import { bookings, services, timeslots, type BookingSeries } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { loadOwnSeries } from "./book-series";
import { toBookingDto, type BookingDto } from "./dto";

export type SeriesDto = {
  id: string;
  kind: BookingSeries["kind"];
  serviceId: string;
  serviceName: string;
  customerId: string;
  seats: number;
  /** pending_payment while any week waits for the payment; else confirmed while any week is; else the weeks' common end. */
  status: string;
  /** What the weeks still on hold owe together: the one payment's amount. */
  amountDueFen: number;
  holdExpiresAt: string | null;
  bookings: BookingDto[];
  createdAt: string;
};

/** A series' state from its bookings' own states (each week is cancelled or completed on its own). */
function seriesStatus(list: BookingDto[]): string {
  if (list.some((b) => b.status === "pending_payment")) return "pending_payment";
  if (list.some((b) => b.status === "confirmed")) return "confirmed";
  return list[0]?.status ?? "cancelled";
}

const moved = aliasedTable(bookings, "moved");

export async function seriesBookings(db: Db, seriesId: string): Promise<BookingDto[]> {
  const rows = await db
    .select({ booking: bookings, slot: timeslots })
    .from(bookings)
    .innerJoin(timeslots, eq(timeslots.id, bookings.timeslotId))
    // a week moved elsewhere is shown as its successor
    .where(
      and(
        eq(bookings.seriesId, seriesId),
        notExists(db.select({ id: moved.id }).from(moved).where(eq(moved.rescheduledFromId, bookings.id))),
      ),
    )
    .orderBy(asc(timeslots.startsAt));
  return rows.map((r) => toBookingDto(r.booking, r.slot));
}

export async function getSeriesView(db: Db, seriesId: string, actor: Actor): Promise<SeriesDto> {
  const series = await loadOwnSeries(db, seriesId, actor);
  const [service] = await db.select({ name: services.name }).from(services).where(eq(services.id, series.serviceId));
  const list = await seriesBookings(db, series.id);
  const pending = list.filter((b) => b.status === "pending_payment");
  return {
    id: series.id,
    kind: series.kind,
    serviceId: series.serviceId,
    serviceName: service?.name ?? "",
    customerId: series.customerId,
    seats: series.seats,
    status: seriesStatus(list),
    amountDueFen: pending.reduce((s, b) => s + b.amountDueFen, 0),
    holdExpiresAt: pending.map((b) => b.holdExpiresAt).sort()[0] ?? null,
    bookings: list,
    createdAt: series.createdAt.toISOString(),
  };
}

/** The series a booking was made with, if any (its pay page sends the customer to the series' one payment). */
export async function seriesIdOf(db: Db, bookingId: string): Promise<string | null> {
  const [row] = await db.select({ seriesId: bookings.seriesId }).from(bookings).where(eq(bookings.id, bookingId)).limit(1);
  return row?.seriesId ?? null;
}
