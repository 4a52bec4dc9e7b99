import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { bookCourse } from "@/lib/booking/book-course";
import { getSeriesView } from "@/lib/booking/series-queries";
import { AppError } from "@/lib/errors";
import { clientIp, limitBooking } from "@/lib/rate-limit";
import { bookCourseSchema } from "@/lib/validations/series";

/** Buys every session of the course, all or nothing; pay it with POST /api/v1/series/{id}/pay. */
export const POST = apiRoute({ auth: "user", body: bookCourseSchema }, async ({ params, body, user, req }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "courseNotFound");
  const locale = user.locale === "en" ? "en" : "zh-CN";
  const made = await limitBooking(user.id, clientIp(req.headers), () =>
    bookCourse({ customerId: user.id, courseId: params.id!, ...body, locale }),
  );
  const series = await getSeriesView(getDb(), made.series.id, { id: user.id, role: user.role });
  return NextResponse.json({ series }, { status: 201 });
});
