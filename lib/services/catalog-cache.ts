import "server-only";
import type { DbOrTx } from "@/db/client";
import { cachedManyInGeneration, invalidateGenerations, type GenerationItem } from "@/lib/cache";
import { listActiveServices, toServiceDto, type ServiceDto } from "./queries";

/**
 * One generation for the catalogue (services and their business's policy, rules and time zone):
 * staff edits are rare, every public read needs it, so any such edit starts a new generation and
 * every cached catalogue entry is read afresh (exact invalidation without tracking which entry
 * depends on which row).
 */
const CATALOG_GROUP = "catalog:v1";

/** A cached catalogue entry (the service list, one service's availability context…). */
export const catalogItem = (key: string): GenerationItem => ({ group: CATALOG_GROUP, key: `${CATALOG_GROUP}:${key}` });

/** Call after a transaction that changed a service or a business commits. Never throws. */
export async function invalidateCatalog(): Promise<void> {
  await invalidateGenerations([CATALOG_GROUP]);
}

const LIST_TTL_SECONDS = 300;

/** The public service list, cached under the catalogue's generation. */
export async function cachedActiveServices(db: DbOrTx): Promise<ServiceDto[]> {
  const [list] = await cachedManyInGeneration([catalogItem("services:active")], LIST_TTL_SECONDS, async () => [
    (await listActiveServices(db)).map(toServiceDto),
  ]);
  return list ?? [];
}
