import "server-only";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { resources, serviceStaff, services, type Service } from "@/db/schema";

export type ServiceDto = {
  id: string;
  kind: Service["kind"];
  name: string;
  nameEn: string | null;
  description: string;
  descriptionEn: string | null;
  durationMin: number;
  priceFen: number;
  depositFen: number;
  capacity: number;
  currency: string;
  resourceId: string | null;
  fields: Service["fields"];
  staffPolicy: Service["staffPolicy"];
  /** Who offers it (选技师), when known to the caller (the public list); [] when nobody does. */
  staff?: StaffDto[];
};

/** A staff member as customers see them when picking one. */
export type StaffDto = { id: string; name: string; title: string | null; photoUrl: string | null };

export const toServiceDto = (s: Service, staff?: StaffDto[]): ServiceDto => ({
  id: s.id,
  kind: s.kind,
  name: s.name,
  nameEn: s.nameEn,
  description: s.description,
  descriptionEn: s.descriptionEn,
  durationMin: s.durationMin,
  priceFen: s.priceFen,
  depositFen: s.depositFen,
  capacity: s.capacity,
  currency: s.currency,
  resourceId: s.resourceId,
  fields: s.fields,
  staffPolicy: s.staffPolicy,
  ...(staff && { staff }),
});

/** The active staff members of each service, by name: one statement for the whole list. */
export async function staffByService(db: DbOrTx, serviceIds: string[]): Promise<Map<string, StaffDto[]>> {
  const out = new Map<string, StaffDto[]>(serviceIds.map((id) => [id, []]));
  if (serviceIds.length === 0) return out;
  const rows = await db
    .select({
      serviceId: serviceStaff.serviceId,
      id: resources.id,
      name: resources.name,
      title: resources.title,
      photoUrl: resources.photoUrl,
    })
    .from(serviceStaff)
    .innerJoin(resources, eq(resources.id, serviceStaff.resourceId))
    .where(and(inArray(serviceStaff.serviceId, serviceIds), eq(resources.active, true)))
    .orderBy(asc(resources.name), asc(resources.id));
  for (const { serviceId, ...staff } of rows) out.get(serviceId)?.push(staff);
  return out;
}

export async function listActiveServices(db: DbOrTx): Promise<Service[]> {
  return db.select().from(services).where(eq(services.active, true)).orderBy(asc(services.createdAt), asc(services.name));
}

export async function getService(db: DbOrTx, id: string): Promise<Service | undefined> {
  const [row] = await db
    .select()
    .from(services)
    .where(and(eq(services.id, id)))
    .limit(1);
  return row;
}
