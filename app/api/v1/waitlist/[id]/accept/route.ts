import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { acceptOffer } from "@/lib/booking/waitlist";
import { AppError } from "@/lib/errors";

export const POST = apiRoute({ auth: "user" }, async ({ params, user }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "waitlistEntryNotFound");
  const locale = user.locale === "en" ? "en" : "zh-CN";
  const result = await acceptOffer({ entryId: params.id!, actor: { id: user.id, role: user.role }, locale });
  return NextResponse.json(result);
});
