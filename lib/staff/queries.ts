import "server-only";
import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { resources, serviceStaff, type Resource } from "@/db/schema";
import type { StaffDto } from "@/lib/services/queries";

/** A staff member as customers see them (a booking's page, the voucher); null when gone. */
export async function staffMember(db: DbOrTx, id: string | null): Promise<StaffDto | null> {
  if (!id) return null;
  const [row] = await db
    .select({ id: resources.id, name: resources.name, title: resources.title, photoUrl: resources.photoUrl })
    .from(resources)
    .where(eq(resources.id, id))
    .limit(1);
  return row ?? null;
}

/** One staff member of the business, for the admin's staff page; null when not (or not staff). */
export async function staffForEdit(db: DbOrTx, businessId: string, id: string): Promise<Resource | null> {
  const [row] = await db
    .select()
    .from(resources)
    .where(and(eq(resources.id, id), eq(resources.businessId, businessId), eq(resources.kind, "staff")))
    .limit(1);
  return row ?? null;
}

/** Who offers a service and with what weight. */
export async function serviceStaffWeights(db: DbOrTx, serviceId: string): Promise<Map<string, number>> {
  const rows = await db.select().from(serviceStaff).where(eq(serviceStaff.serviceId, serviceId));
  return new Map(rows.map((r) => [r.resourceId, r.weight]));
}
