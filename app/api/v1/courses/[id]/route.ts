import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { courseDto, loadCourse } from "@/lib/booking/define-course";
import { AppError } from "@/lib/errors";

/** A course with its sessions and the seats left in each. */
export const GET = apiRoute({ auth: "user" }, async ({ params }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "courseNotFound");
  const db = getDb();
  return NextResponse.json({ course: await courseDto(db, await loadCourse(db, params.id!)) });
});
