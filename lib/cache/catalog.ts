import "server-only";
import { invalidateGenerations, type GenerationItem } from "./index";

/**
 * One generation for the catalogue (services and their business's policy, rules and time zone):
 * staff edits are rare, every public read needs it, so any such edit starts a new generation and
 * every cached catalogue entry is read afresh (exact invalidation without tracking which entry
 * depends on which row). Here, below the domains, so booking (readers) and services and business
 * (writers) share it without importing each other.
 */
const CATALOG_GROUP = "catalog:v1";

/** A cached catalogue entry (the service list, one service's availability context…). */
export const catalogItem = (key: string): GenerationItem => ({ group: CATALOG_GROUP, key: `${CATALOG_GROUP}:${key}` });

/** Call after a transaction that changed a service or a business commits. Never throws. */
export async function invalidateCatalog(): Promise<void> {
  await invalidateGenerations([CATALOG_GROUP]);
}
