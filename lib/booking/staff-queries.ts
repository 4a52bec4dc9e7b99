import "server-only";
import { and, count, desc, eq, gte, ilike, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { bookings, resources, services, timeslots, users, type BookingStatus } from "@/db/schema";
import type { BookingFilter } from "@/lib/validations/dashboard";
import { containsPattern } from "@/lib/like";
import { dayRange } from "./day-range";
import { maskedPhone, phoneSearch } from "@/lib/pii";
import { withMoneyStatus } from "./money-facts";
import type { Balance, MoneyStatus } from "./money-status";

export const PAGE_SIZE = 20;

export type BookingRow = {
  id: string;
  timeslotId: string;
  code: string;
  status: BookingStatus;
  seats: number;
  startsAt: Date;
  endsAt: Date;
  priceFen: number;
  amountDueFen: number;
  checkedInAt: Date | null;
  createdAt: Date;
  serviceId: string;
  serviceName: string;
  serviceNameEn: string | null;
  resourceId: string | null;
  resourceName: string | null;
  customerId: string;
  customerName: string;
  customerPhone: string | null;
  customerEmail: string | null;
};

/** The slot's own resource, else the service's: the staff member or room the booking takes. */
export const slotResourceId = sql<string | null>`coalesce(${timeslots.resourceId}, ${services.resourceId})`;

export const bookingRowColumns = {
  id: bookings.id,
  timeslotId: bookings.timeslotId,
  code: bookings.code,
  status: bookings.status,
  seats: bookings.seats,
  startsAt: timeslots.startsAt,
  endsAt: timeslots.endsAt,
  priceFen: bookings.priceFen,
  amountDueFen: bookings.amountDueFen,
  checkedInAt: bookings.checkedInAt,
  createdAt: bookings.createdAt,
  serviceId: services.id,
  serviceName: services.name,
  serviceNameEn: services.nameEn,
  resourceId: resources.id,
  resourceName: resources.name,
  customerId: users.id,
  customerName: users.name,
  /** Masked: lists, the calendar and exports never show the whole number (lib/pii). */
  customerPhone: maskedPhone(),
  customerEmail: users.email,
};

/** bookings ⋈ slot ⋈ service ⋈ customer ⟕ resource, the shape every staff list reads. */
export function bookingRowsQuery(db: DbOrTx) {
  return (
    db
      .select(bookingRowColumns)
      .from(bookings)
      .innerJoin(timeslots, eq(timeslots.id, bookings.timeslotId))
      .innerJoin(services, eq(services.id, bookings.serviceId))
      .innerJoin(users, eq(users.id, bookings.customerId))
      // The booking's staff member (lib/booking/assign-staff), else the resource the slot takes whole.
      .leftJoin(resources, sql`${resources.id} = coalesce(${bookings.staffId}, ${slotResourceId})`)
      .$dynamic()
  );
}

export function bookingConditions(filter: Omit<BookingFilter, "page">, timezone: string): SQL | undefined {
  const term = filter.q ? containsPattern(filter.q) : undefined;
  const range = filter.from || filter.to ? dayRange({ from: filter.from, to: filter.to ?? filter.from }, timezone) : null;
  return and(
    term ? or(ilike(bookings.code, term), ilike(users.name, term), phoneSearch(filter.q), ilike(users.email, term)) : undefined,
    filter.status ? eq(bookings.status, filter.status) : undefined,
    filter.serviceId ? eq(bookings.serviceId, filter.serviceId) : undefined,
    filter.resourceId
      ? or(
          eq(bookings.staffId, filter.resourceId),
          eq(timeslots.resourceId, filter.resourceId),
          and(isNull(timeslots.resourceId), eq(services.resourceId, filter.resourceId)),
        )
      : undefined,
    filter.customerId ? eq(bookings.customerId, filter.customerId) : undefined,
    range ? and(gte(timeslots.startsAt, range.start), lt(timeslots.startsAt, range.end)) : undefined,
  );
}

export type MoneyRow = BookingRow & { money: MoneyStatus; balance: Balance };

/** Staff booking search: newest appointment first, one page at a time, with the total for the pager. */
export async function listBookings(db: DbOrTx, filter: BookingFilter, timezone: string): Promise<{ rows: MoneyRow[]; total: number }> {
  const where = bookingConditions(filter, timezone);
  const [rows, [total]] = await Promise.all([
    bookingRowsQuery(db)
      .where(where)
      .orderBy(desc(timeslots.startsAt), desc(bookings.createdAt))
      .limit(PAGE_SIZE)
      .offset((filter.page - 1) * PAGE_SIZE),
    db
      .select({ n: count() })
      .from(bookings)
      .innerJoin(timeslots, eq(timeslots.id, bookings.timeslotId))
      .innerJoin(services, eq(services.id, bookings.serviceId))
      .innerJoin(users, eq(users.id, bookings.customerId))
      .where(where),
  ]);
  return { rows: await withMoneyStatus(db, rows), total: Number(total?.n ?? 0) };
}
