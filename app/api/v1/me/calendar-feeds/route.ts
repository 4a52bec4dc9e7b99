import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { createCalendarFeed, listCalendarFeeds } from "@/lib/booking/calendar-feeds";

/** The caller's calendar feeds (no tokens: an address is shown once, when made). */
export const GET = apiRoute({ auth: "user" }, async ({ user }) => {
  return NextResponse.json({ feeds: await listCalendarFeeds(getDb(), { id: user.id, role: user.role }, "customer") });
});

/** A new subscription address; the previous one stops working (regenerate). */
export const POST = apiRoute({ auth: "user" }, async ({ user }) => {
  const { feed, url } = await createCalendarFeed(getDb(), { id: user.id, role: user.role }, "customer");
  return NextResponse.json({ feed, url }, { status: 201 });
});
