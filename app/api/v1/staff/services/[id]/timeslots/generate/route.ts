import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { generateTimeslots } from "@/lib/booking/generate-timeslots";
import { AppError } from "@/lib/errors";
import { generateSlotsSchema } from "@/lib/validations/service";

export const POST = apiRoute({ auth: "staff", body: generateSlotsSchema }, async ({ params, body }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "serviceNotFound");
  const result = await generateTimeslots(getDb(), params.id!, body);
  return NextResponse.json(result);
});
