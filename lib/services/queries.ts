import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { services, type Service } from "@/db/schema";

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
};

export const toServiceDto = (s: Service): ServiceDto => ({
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
});

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
