import "server-only";
import { desc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { bookings, timeslots, users, type User } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { bookingRowsQuery, type BookingRow } from "@/lib/booking/staff-queries";

export type CustomerDetail = {
  customer: Pick<User, "id" | "name" | "phone" | "email" | "groups" | "notes" | "locale" | "createdAt" | "role">;
  history: BookingRow[];
  counts: { total: number; completed: number; noShow: number; cancelled: number; upcoming: number };
};

export async function getCustomerDetail(db: DbOrTx, id: string, now = new Date()): Promise<CustomerDetail> {
  const [u] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  if (!u) throw new AppError("NOT_FOUND", "customerNotFound");
  const history = await bookingRowsQuery(db).where(eq(bookings.customerId, id)).orderBy(desc(timeslots.startsAt)).limit(200);
  const counts = { total: history.length, completed: 0, noShow: 0, cancelled: 0, upcoming: 0 };
  for (const b of history) {
    if (b.status === "completed") counts.completed++;
    if (b.status === "no_show") counts.noShow++;
    if (b.status === "cancelled" || b.status === "expired") counts.cancelled++;
    if ((b.status === "confirmed" || b.status === "pending_payment") && b.startsAt > now) counts.upcoming++;
  }
  return {
    customer: {
      id: u.id,
      name: u.name,
      phone: u.phone,
      email: u.email,
      groups: u.groups,
      notes: u.notes,
      locale: u.locale,
      createdAt: u.createdAt,
      role: u.role,
    },
    history,
    counts,
  };
}

/** Every group name in use, for the group filter and suggestions. */
export async function customerGroups(db: DbOrTx): Promise<string[]> {
  const rows = await db
    .selectDistinct({ g: sql<string>`unnest(${users.groups})` })
    .from(users)
    .orderBy(sql`1`);
  return rows.map((r) => r.g);
}
