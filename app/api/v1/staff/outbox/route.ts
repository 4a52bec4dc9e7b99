import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { listOutbox, outboxQuerySchema } from "@/lib/notifications/dead-letters";

export const GET = apiRoute({ auth: "staff", query: outboxQuerySchema }, async ({ user, query }) => {
  const notifications = await listOutbox(getDb(), user, query);
  return NextResponse.json({ notifications, limit: query.limit, offset: query.offset });
});
