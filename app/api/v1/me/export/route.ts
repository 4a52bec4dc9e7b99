import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { exportMyData } from "@/lib/pii/export-my-data";

/** Everything kept about the caller, as JSON (PIPL data portability). */
export const GET = apiRoute({ auth: "user" }, async ({ user }) => {
  return NextResponse.json(await exportMyData(getDb(), user.id), { headers: { "Cache-Control": "no-store" } });
});
