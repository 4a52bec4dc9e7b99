import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { markRead, unreadCount } from "@/lib/notifications/inbox";

export const POST = apiRoute({ auth: "user" }, async ({ user, params }) => {
  const db = getDb();
  const notification = await markRead(db, user.id, params.id ?? "");
  return NextResponse.json({ notification, unread: await unreadCount(db, user.id) });
});
