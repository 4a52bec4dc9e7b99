import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { revokeCalendarFeed } from "@/lib/booking/calendar-feeds";
import { AppError } from "@/lib/errors";

/** Revokes the feed: its address answers 404 from now on. */
export const DELETE = apiRoute({ auth: "user" }, async ({ params, user }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "feedNotFound");
  const feed = await revokeCalendarFeed(getDb(), { id: user.id, role: user.role }, "customer", params.id!);
  return NextResponse.json({ feed });
});
