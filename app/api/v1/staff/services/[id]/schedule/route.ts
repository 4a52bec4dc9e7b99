import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { countsOf } from "@/lib/booking/reconcile-slots";
import { saveSchedule } from "@/lib/services/save-schedule";
import { AppError } from "@/lib/errors";
import { scheduleSchema } from "@/lib/validations/service";

/** Replace a service's schedule; its future slots follow at once: { reconciled: { created, removed, closed, reopened, updated, conflicts } }. */
export const PUT = apiRoute({ auth: "staff", body: scheduleSchema }, async ({ params, body, user }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "serviceNotFound");
  return NextResponse.json({ reconciled: countsOf(await saveSchedule(params.id!, body, user.id)) });
});
