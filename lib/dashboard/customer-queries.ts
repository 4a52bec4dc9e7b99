import "server-only";
import { and, count, desc, eq, ilike, or, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { bookings, timeslots, users, type User } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { PAGE_SIZE, bookingRowsQuery, type BookingRow } from "./booking-queries";
import { likeTerm } from "./sql";

export type CustomerListRow = Pick<User, "id" | "name" | "phone" | "email" | "groups" | "createdAt"> & { bookings: number; noShows: number; lastVisit: Date | null };

const stats = {
  bookings: sql<number>`count(${bookings.id})::int`,
  noShows: sql<number>`count(${bookings.id}) filter (where ${bookings.status} = 'no_show')::int`,
  lastVisit: sql<Date | null>`max(${timeslots.startsAt}) filter (where ${bookings.status} = 'completed')`,
};

/** Customers by name, phone, email or group, with their booking and no-show counts. */
export async function listCustomers(db: DbOrTx, input: { q?: string; group?: string; page: number }): Promise<{ rows: CustomerListRow[]; total: number }> {
  const where = and(
    eq(users.role, "customer"),
    input.q ? or(ilike(users.name, likeTerm(input.q)), ilike(users.phone, likeTerm(input.q)), ilike(users.email, likeTerm(input.q))) : undefined,
    input.group ? sql`${input.group} = any(${users.groups})` : undefined,
  );
  const rows = await db
    .select({ id: users.id, name: users.name, phone: users.phone, email: users.email, groups: users.groups, createdAt: users.createdAt, ...stats })
    .from(users)
    .leftJoin(bookings, eq(bookings.customerId, users.id))
    .leftJoin(timeslots, eq(timeslots.id, bookings.timeslotId))
    .where(where)
    .groupBy(users.id)
    .orderBy(desc(users.createdAt))
    .limit(PAGE_SIZE)
    .offset((input.page - 1) * PAGE_SIZE);
  const [total] = await db.select({ n: count() }).from(users).where(where);
  return {
    rows: rows.map((r) => ({ ...r, bookings: Number(r.bookings), noShows: Number(r.noShows), lastVisit: r.lastVisit ? new Date(r.lastVisit) : null })),
    total: Number(total?.n ?? 0),
  };
}

export type CustomerDetail = {
  customer: Pick<User, "id" | "name" | "phone" | "email" | "groups" | "notes" | "locale" | "createdAt" | "role">;
  history: BookingRow[];
  counts: { total: number; completed: number; noShow: number; cancelled: number; upcoming: number };
};

export async function getCustomerDetail(db: DbOrTx, id: string, now = new Date()): Promise<CustomerDetail> {
  const [u] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  if (!u) throw new AppError("NOT_FOUND", "客户不存在 / Customer not found");
  const history = await bookingRowsQuery(db).where(eq(bookings.customerId, id)).orderBy(desc(timeslots.startsAt)).limit(200);
  const counts = { total: history.length, completed: 0, noShow: 0, cancelled: 0, upcoming: 0 };
  for (const b of history) {
    if (b.status === "completed") counts.completed++;
    if (b.status === "no_show") counts.noShow++;
    if (b.status === "cancelled" || b.status === "expired") counts.cancelled++;
    if ((b.status === "confirmed" || b.status === "pending_payment") && b.startsAt > now) counts.upcoming++;
  }
  return {
    customer: { id: u.id, name: u.name, phone: u.phone, email: u.email, groups: u.groups, notes: u.notes, locale: u.locale, createdAt: u.createdAt, role: u.role },
    history,
    counts,
  };
}

/** Every group name in use, for the group filter and suggestions. */
export async function customerGroups(db: DbOrTx): Promise<string[]> {
  const rows = await db.selectDistinct({ g: sql<string>`unnest(${users.groups})` }).from(users).orderBy(sql`1`);
  return rows.map((r) => r.g);
}
