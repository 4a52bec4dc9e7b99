import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { markAllRead, unreadCount } from "@/lib/notifications/inbox";

export const POST = apiRoute({ auth: "user" }, async ({ user }) => {
  const db = getDb();
  const marked = await markAllRead(db, user.id);
  return NextResponse.json({ marked, unread: await unreadCount(db, user.id) });
});
