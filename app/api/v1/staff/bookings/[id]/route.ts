import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { getBookingDetail } from "@/lib/booking/staff-detail";
import { AppError } from "@/lib/errors";
import { recordPiiView, revealedFields } from "@/lib/pii/reveal";

export const GET = apiRoute({ auth: "staff" }, async ({ params, user }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "bookingNotFound");
  const detail = await getBookingDetail(getDb(), params.id!);
  await recordPiiView(getDb(), {
    viewerId: user.id,
    entityType: "booking",
    entityId: detail.booking.id,
    fields: revealedFields({ phone: detail.customer.phone, fields: detail.booking.fields }),
    via: "api",
  });
  return NextResponse.json(detail);
});
