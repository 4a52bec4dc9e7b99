import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { defineCourse } from "@/lib/booking/define-course";
import { defineCourseSchema } from "@/lib/validations/series";

/** A course on a class service: the given sessions sold together. */
export const POST = apiRoute({ auth: "staff", body: defineCourseSchema }, async ({ body, user }) => {
  const course = await defineCourse(getDb(), { id: user.id, role: user.role }, body);
  return NextResponse.json({ course }, { status: 201 });
});
