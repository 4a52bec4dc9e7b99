import "server-only";
import { asc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { bookingSeries, bookings, users } from "@/db/schema";
import { courseDto, loadCourse, type CourseDto } from "./define-course";

export type CourseRoster = {
  course: CourseDto;
  /** One row per buyer: their bookings of the sessions, in session order (null: not booked, e.g. moved away). */
  participants: { seriesId: string; customerId: string; customerName: string; seats: number; sessions: (string | null)[] }[];
};

/** The course's one roster (花名册): who bought it and where each of their sessions stands. */
export async function courseRoster(db: Db, courseId: string): Promise<CourseRoster> {
  const course = await courseDto(db, await loadCourse(db, courseId));
  const rows = await db
    .select({ series: bookingSeries, customerName: users.name })
    .from(bookingSeries)
    .innerJoin(users, eq(users.id, bookingSeries.customerId))
    .where(eq(bookingSeries.courseId, courseId))
    .orderBy(asc(bookingSeries.createdAt));
  const ids = rows.map((r) => r.series.id);
  const booked = ids.length
    ? await db
        .select({ seriesId: bookings.seriesId, timeslotId: bookings.timeslotId, status: bookings.status })
        .from(bookings)
        .where(inArray(bookings.seriesId, ids))
    : [];
  return {
    course,
    participants: rows.map((r) => ({
      seriesId: r.series.id,
      customerId: r.series.customerId,
      customerName: r.customerName,
      seats: r.series.seats,
      sessions: course.sessions.map((s) => booked.find((b) => b.seriesId === r.series.id && b.timeslotId === s.timeslotId)?.status ?? null),
    })),
  };
}
