import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { listSlotQueue } from "@/lib/booking/waitlist";
import { AppError } from "@/lib/errors";

export const GET = apiRoute({ auth: "staff" }, async ({ params }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "timeslotNotFound");
  return NextResponse.json({ entries: await listSlotQueue(getDb(), params.id!) });
});
