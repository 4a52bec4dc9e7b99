import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { moveWaitlistEntry } from "@/lib/booking/waitlist";
import { AppError } from "@/lib/errors";
import { moveWaitlistSchema } from "@/lib/validations/waitlist";

export const POST = apiRoute({ auth: "staff", body: moveWaitlistSchema }, async ({ params, body, user }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "waitlistEntryNotFound");
  const entries = await moveWaitlistEntry({ entryId: params.id!, ...body, actor: { id: user.id, role: user.role } });
  return NextResponse.json({ entries });
});
