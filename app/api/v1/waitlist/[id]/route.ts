import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { leaveWaitlist } from "@/lib/booking/waitlist";
import { AppError } from "@/lib/errors";

export const DELETE = apiRoute({ auth: "user" }, async ({ params, user }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "waitlistEntryNotFound");
  const entry = await leaveWaitlist({ entryId: params.id!, actor: { id: user.id, role: user.role } });
  return NextResponse.json({ entry });
});
