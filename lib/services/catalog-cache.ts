import "server-only";
import type { DbOrTx } from "@/db/client";
import { cachedManyInGeneration } from "@/lib/cache";
import { catalogItem } from "@/lib/cache/catalog";
import { listActiveServices, staffByService, toServiceDto, type ServiceDto } from "./queries";

const LIST_TTL_SECONDS = 300;

/** The public service list with each service's staff, cached under the catalogue's generation (lib/cache/catalog). */
export async function cachedActiveServices(db: DbOrTx): Promise<ServiceDto[]> {
  const [list] = await cachedManyInGeneration([catalogItem("services:active:v2")], LIST_TTL_SECONDS, async () => {
    const rows = await listActiveServices(db);
    const staff = await staffByService(
      db,
      rows.map((s) => s.id),
    );
    return [rows.map((s) => toServiceDto(s, staff.get(s.id) ?? []))];
  });
  return list ?? [];
}
