import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { previewSeries } from "@/lib/booking/preview-series";
import { previewSeriesSchema } from "@/lib/validations/series";

/** Each week of "this slot, weekly, N times" with whether it can be booked and why not. */
export const POST = apiRoute({ auth: "user", body: previewSeriesSchema }, async ({ body, user }) => {
  const locale = user.locale === "en" ? "en" : "zh-CN";
  const { occurrences } = await previewSeries(getDb(), { customerId: user.id, ...body, locale });
  return NextResponse.json({ occurrences });
});
