import "server-only";
import { asc } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { resources, type Resource } from "@/db/schema";

/** Every room, seat or staff member a service can need, grouped by kind. */
export async function listResources(db: DbOrTx): Promise<Resource[]> {
  return db.select().from(resources).orderBy(asc(resources.kind), asc(resources.name));
}
