import "server-only";
import { getDb, type Db } from "@/db/client";
import type { BookingSeries } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { Locale } from "@/lib/i18n/config";
import { bookTogether, refused } from "./book-series";
import { loadSlotContext } from "./context";
import { courseDto, loadCourse } from "./define-course";
import type { BookingDto } from "./dto";

/**
 * A customer buys a course: every session, all or nothing, one series (kind course) paid by one
 * payment. A session full or closed refuses the purchase before anything is written; one lost
 * while booking rolls every session back (bookTogether).
 */
export async function bookCourse(
  input: { customerId: string; courseId: string; seats?: number; fields?: Record<string, unknown>; locale: Locale; now?: Date },
  db: Db = getDb(),
): Promise<{ series: BookingSeries; bookings: BookingDto[] }> {
  const now = input.now ?? new Date();
  const course = await loadCourse(db, input.courseId);
  const { sessions } = await courseDto(db, course);
  const first = sessions[0];
  if (!first) throw new AppError("VALIDATION_FAILED", "courseSessionsInvalid");
  const seats = input.seats ?? 1;
  const lacking = sessions.map((s, index) => ({ ...s, index })).filter((s) => s.remaining < seats);
  if (lacking.length > 0)
    throw refused(lacking.map((s) => ({ index: s.index, startsAt: s.startsAt, timeslotId: s.timeslotId, reason: "full" })));
  return bookTogether(db, {
    ...input,
    now,
    ctx: await loadSlotContext(db, first.timeslotId),
    series: { kind: "course", rule: { course: course.id }, courseId: course.id },
    sessions: sessions.map((s, index) => ({ index, startsAt: s.startsAt, timeslotId: s.timeslotId })),
  });
}
