import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { courseRoster } from "@/lib/booking/course-roster";
import { AppError } from "@/lib/errors";

/** The course's one roster: each buyer with the state of each of their sessions. */
export const GET = apiRoute({ auth: "staff" }, async ({ params }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "courseNotFound");
  return NextResponse.json({ roster: await courseRoster(getDb(), params.id!) });
});
