import "server-only";
import { and, count, desc, eq, ilike, or } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { bookings, users } from "@/db/schema";

export type CustomerRow = {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  role: "customer" | "staff" | "admin";
  locale: string;
  groups: string[];
  createdAt: string;
  bookingCount: number;
};

/** Staff search by name, email or phone; newest customers first. */
export async function searchCustomers(
  db: DbOrTx,
  { q, limit, offset }: { q?: string; limit: number; offset: number },
): Promise<CustomerRow[]> {
  const term = q?.trim();
  const match = term
    ? or(ilike(users.name, `%${term}%`), ilike(users.email, `%${term}%`), ilike(users.phone, `%${term}%`))
    : undefined;
  const rows = await db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      phone: users.phone,
      role: users.role,
      locale: users.locale,
      groups: users.groups,
      createdAt: users.createdAt,
      bookingCount: count(bookings.id),
    })
    .from(users)
    .leftJoin(bookings, eq(bookings.customerId, users.id))
    .where(and(eq(users.role, "customer"), match))
    .groupBy(users.id)
    .orderBy(desc(users.createdAt))
    .limit(limit)
    .offset(offset);
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), bookingCount: Number(r.bookingCount) }));
}
