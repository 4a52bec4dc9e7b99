import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { resendNotification, resendSchema } from "@/lib/notifications/dead-letters";

export const POST = apiRoute({ auth: "staff", body: resendSchema }, async ({ user, params, body }) => {
  const notification = await resendNotification(getDb(), user, params.id ?? "", body.reason);
  return NextResponse.json({ notification });
});
