import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { listMyWaitlist } from "@/lib/booking/waitlist";

export const GET = apiRoute({ auth: "user" }, async ({ user }) => {
  return NextResponse.json({ entries: await listMyWaitlist(getDb(), user.id) });
});
