import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { getBookingDetail } from "@/lib/booking/staff-detail";
import { AppError } from "@/lib/errors";

export const GET = apiRoute({ auth: "staff" }, async ({ params }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "bookingNotFound");
  const detail = await getBookingDetail(getDb(), params.id!);
  return NextResponse.json(detail);
});
