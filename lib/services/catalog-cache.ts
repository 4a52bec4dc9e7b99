import "server-only";
import type { DbOrTx } from "@/db/client";
import { cachedManyInGeneration } from "@/lib/cache";
import { catalogItem } from "@/lib/cache/catalog";
import { listActiveServices, toServiceDto, type ServiceDto } from "./queries";

const LIST_TTL_SECONDS = 300;

/** The public service list, cached under the catalogue's generation (lib/cache/catalog). */
export async function cachedActiveServices(db: DbOrTx): Promise<ServiceDto[]> {
  const [list] = await cachedManyInGeneration([catalogItem("services:active")], LIST_TTL_SECONDS, async () => [
    (await listActiveServices(db)).map(toServiceDto),
  ]);
  return list ?? [];
}
