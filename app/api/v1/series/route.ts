import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { bookSeries } from "@/lib/booking/book-series";
import { getSeriesView } from "@/lib/booking/series-queries";
import { clientIp, limitBooking } from "@/lib/rate-limit";
import { bookSeriesSchema } from "@/lib/validations/series";

/** Books the chosen weeks all or nothing: 201 with the series, or 409 SLOT_FULL naming the weeks that cannot be had. */
export const POST = apiRoute({ auth: "user", body: bookSeriesSchema }, async ({ body, user, req }) => {
  const locale = user.locale === "en" ? "en" : "zh-CN";
  const made = await limitBooking(user.id, clientIp(req.headers), () => bookSeries({ customerId: user.id, ...body, locale }));
  const series = await getSeriesView(getDb(), made.series.id, { id: user.id, role: user.role });
  return NextResponse.json({ series }, { status: 201 });
});
