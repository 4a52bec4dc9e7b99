import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { joinWaitlist } from "@/lib/booking/waitlist";
import { AppError } from "@/lib/errors";
import { joinWaitlistSchema } from "@/lib/validations/waitlist";

export const POST = apiRoute({ auth: "user", body: joinWaitlistSchema }, async ({ params, body, user }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "timeslotNotFound");
  const locale = user.locale === "en" ? "en" : "zh-CN";
  const { entry, created } = await joinWaitlist({ customerId: user.id, timeslotId: params.id!, ...body, locale });
  return NextResponse.json({ entry }, { status: created ? 201 : 200 });
});
