import { NextResponse } from "next/server";
import { getReadReplicaDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { PUBLIC_LIST_CACHE } from "@/lib/api/cache-control";
import { cachedActiveServices } from "@/lib/services/catalog-cache";

export const GET = apiRoute({ auth: "none" }, async () => {
  const services = await cachedActiveServices(getReadReplicaDb());
  return NextResponse.json({ services }, { headers: { "Cache-Control": PUBLIC_LIST_CACHE } });
});
