import "server-only";
import { and, count, desc, eq, ilike, or, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { bookings, timeslots, users } from "@/db/schema";
import { containsPattern } from "@/lib/like";
import type { CustomerSearchInput } from "@/lib/validations/customer";
import { maskedPhone, phoneSearch } from "@/lib/pii";

export type CustomerRow = {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  role: "customer" | "staff" | "admin";
  locale: string;
  groups: string[];
  createdAt: Date;
  bookingCount: number;
  noShowCount: number;
  /** Start of the last completed visit. */
  lastVisit: Date | null;
};

/**
 * Customers by name, phone or email (the term matched literally: LIKE wildcards escaped) and group,
 * newest first, with their booking and no-show counts: the one search behind the staff API, the
 * dashboard's customer list and the booking-on-behalf picker.
 */
export async function searchCustomers(db: DbOrTx, input: CustomerSearchInput): Promise<{ rows: CustomerRow[]; total: number }> {
  const term = input.q?.trim();
  const pattern = term ? containsPattern(term) : undefined;
  const where = and(
    eq(users.role, "customer"),
    pattern ? or(ilike(users.name, pattern), phoneSearch(term), ilike(users.email, pattern)) : undefined,
    input.group ? sql`${input.group} = any(${users.groups})` : undefined,
  );
  const rows = await db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      phone: maskedPhone(),
      role: users.role,
      locale: users.locale,
      groups: users.groups,
      createdAt: users.createdAt,
      bookingCount: sql<number>`count(${bookings.id})::int`,
      noShowCount: sql<number>`count(${bookings.id}) filter (where ${bookings.status} = 'no_show')::int`,
      lastVisit: sql<Date | null>`max(${timeslots.startsAt}) filter (where ${bookings.status} = 'completed')`,
    })
    .from(users)
    .leftJoin(bookings, eq(bookings.customerId, users.id))
    .leftJoin(timeslots, eq(timeslots.id, bookings.timeslotId))
    .where(where)
    .groupBy(users.id)
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(input.limit)
    .offset(input.offset);
  const [total] = await db.select({ n: count() }).from(users).where(where);
  return {
    rows: rows.map((r) => ({
      ...r,
      bookingCount: Number(r.bookingCount),
      noShowCount: Number(r.noShowCount),
      lastVisit: r.lastVisit ? new Date(r.lastVisit) : null,
    })),
    total: Number(total?.n ?? 0),
  };
}

/** The API's shape of a customer row (instants as ISO strings). */
export const toCustomerDto = (r: CustomerRow) => ({
  ...r,
  createdAt: r.createdAt.toISOString(),
  lastVisit: r.lastVisit ? r.lastVisit.toISOString() : null,
});
