import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { cancelSeries } from "@/lib/booking/cancel-series";
import { AppError } from "@/lib/errors";
import { cancelBookingSchema } from "@/lib/validations/booking";

/** Cancels the weeks still ahead, each refunded by the policy as a booking of its own. */
export const POST = apiRoute({ auth: "user", body: cancelBookingSchema }, async ({ params, user, body }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "seriesNotFound");
  const result = await cancelSeries({ seriesId: params.id!, actor: { id: user.id, role: user.role }, reason: body.reason });
  return NextResponse.json(result);
});
