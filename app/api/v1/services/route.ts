import { NextResponse } from "next/server";
import { getReadReplicaDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { listActiveServices, toServiceDto } from "@/lib/services/queries";

export const GET = apiRoute({ auth: "none" }, async () => {
  const services = await listActiveServices(getReadReplicaDb());
  return NextResponse.json({ services: services.map(toServiceDto) });
});
