import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { listActiveServices, toServiceDto } from "@/lib/services/queries";

export const GET = apiRoute({ auth: "none" }, async () => {
  const services = await listActiveServices(getDb());
  return NextResponse.json({ services: services.map(toServiceDto) });
});
