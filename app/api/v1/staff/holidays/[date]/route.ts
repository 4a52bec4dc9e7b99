import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { removeHoliday } from "@/lib/business/holidays";
import { AppError } from "@/lib/errors";
import { holidayDateSchema } from "@/lib/validations/schedule";

/** Lift a holiday: the services' slots that day come back. */
export const DELETE = apiRoute({ auth: "admin" }, async ({ params, user }) => {
  const parsed = holidayDateSchema.safeParse({ date: params.date });
  if (!parsed.success) throw new AppError("NOT_FOUND", "holidayNotFound");
  return NextResponse.json(await removeHoliday(parsed.data.date, user.id));
});
