import "server-only";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { courses, services, timeslots, type Course } from "@/db/schema";
import { audit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";

export type CourseDto = {
  id: string;
  serviceId: string;
  name: string;
  sessions: { timeslotId: string; startsAt: string; endsAt: string; remaining: number }[];
  createdAt: string;
};

/**
 * Staff define a course on a class service: its sessions are existing timeslots of that service,
 * sold together (课程). The sessions are stored in date order; each must be open and still ahead.
 */
export async function defineCourse(
  db: Db,
  actor: Actor,
  input: { serviceId: string; name: string; timeslotIds: string[] },
  now = new Date(),
): Promise<CourseDto> {
  const [service] = await db.select().from(services).where(eq(services.id, input.serviceId)).limit(1);
  if (!service) throw new AppError("NOT_FOUND", "serviceNotFound");
  if (service.kind !== "class") throw new AppError("VALIDATION_FAILED", "courseNeedsClass");
  const ids = [...new Set(input.timeslotIds)];
  const slots = await db
    .select()
    .from(timeslots)
    .where(and(eq(timeslots.serviceId, service.id), inArray(timeslots.id, ids)))
    .orderBy(asc(timeslots.startsAt));
  if (slots.length !== ids.length || slots.some((s) => s.status !== "open" || s.startsAt <= now)) {
    throw new AppError("VALIDATION_FAILED", "courseSessionsInvalid");
  }
  const course = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(courses)
      .values({ serviceId: service.id, name: input.name, timeslotIds: slots.map((s) => s.id), createdBy: actor.id })
      .returning();
    if (!row) throw new Error("course not created");
    await audit(tx, {
      actorId: actor.id,
      action: "course.created",
      entityType: "course",
      entityId: row.id,
      data: { sessions: row.timeslotIds },
    });
    return row;
  });
  return courseDto(db, course);
}

export async function loadCourse(db: Db, courseId: string): Promise<Course> {
  const [course] = await db.select().from(courses).where(eq(courses.id, courseId)).limit(1);
  if (!course) throw new AppError("NOT_FOUND", "courseNotFound");
  return course;
}

export async function courseDto(db: Db, course: Course): Promise<CourseDto> {
  const slots = course.timeslotIds.length
    ? await db.select().from(timeslots).where(inArray(timeslots.id, course.timeslotIds)).orderBy(asc(timeslots.startsAt))
    : [];
  return {
    id: course.id,
    serviceId: course.serviceId,
    name: course.name,
    sessions: slots.map((s) => ({
      timeslotId: s.id,
      startsAt: s.startsAt.toISOString(),
      endsAt: s.endsAt.toISOString(),
      remaining: Math.max(0, s.capacity - s.bookedCount),
    })),
    createdAt: course.createdAt.toISOString(),
  };
}
