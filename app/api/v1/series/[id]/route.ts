import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { getSeriesView } from "@/lib/booking/series-queries";
import { AppError } from "@/lib/errors";

export const GET = apiRoute({ auth: "user" }, async ({ params, user }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "seriesNotFound");
  return NextResponse.json({ series: await getSeriesView(getDb(), params.id!, { id: user.id, role: user.role }) });
});
