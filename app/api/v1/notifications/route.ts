import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { inboxQuerySchema, listInbox, unreadCount } from "@/lib/notifications/inbox";

export const GET = apiRoute({ auth: "user", query: inboxQuerySchema }, async ({ user, query }) => {
  const db = getDb();
  const [notifications, unread] = await Promise.all([listInbox(db, user.id, query), unreadCount(db, user.id)]);
  const nextBefore = notifications.length === query.limit ? (notifications.at(-1)?.id ?? null) : null;
  return NextResponse.json({ notifications, unread, nextBefore });
});
