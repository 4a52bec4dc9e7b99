import { z } from "zod";
import type { Operation } from "@/lib/api/openapi";
import { errorSchema } from "@/lib/api/schemas";
import { cancelBookingSchema } from "@/lib/validations/booking";
import { payBookingSchema } from "@/lib/validations/payment";
import { bookCourseSchema, bookSeriesSchema, defineCourseSchema, previewSeriesSchema } from "@/lib/validations/series";

const occurrenceSchema = z.object({
  index: z.int(),
  startsAt: z.string(),
  endsAt: z.string(),
  timeslotId: z.uuid().nullable(),
  remaining: z.int(),
  available: z.boolean(),
  reason: z.enum(["no_slot", "closed", "full", "rule"]).nullable(),
  message: z.string().nullable(),
});

const seriesSchema = z.object({
  id: z.uuid(),
  kind: z.enum(["weekly", "course"]),
  serviceId: z.uuid(),
  serviceName: z.string(),
  customerId: z.uuid(),
  seats: z.int(),
  status: z.string(),
  amountDueFen: z.int(),
  holdExpiresAt: z.string().nullable(),
  bookings: z.array(z.object({ id: z.uuid(), status: z.string(), startsAt: z.string(), amountDueFen: z.int() }).loose()),
  createdAt: z.string(),
});

const courseSchema = z.object({
  id: z.uuid(),
  serviceId: z.uuid(),
  name: z.string(),
  sessions: z.array(z.object({ timeslotId: z.uuid(), startsAt: z.string(), endsAt: z.string(), remaining: z.int() })),
  createdAt: z.string(),
});

const rosterSchema = z.object({
  course: courseSchema,
  participants: z.array(
    z.object({
      seriesId: z.uuid(),
      customerId: z.uuid(),
      customerName: z.string(),
      seats: z.int(),
      sessions: z.array(z.string().nullable()),
    }),
  ),
});

const feedSchema = z.object({
  id: z.uuid(),
  scope: z.enum(["customer", "staff"]),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

const errors = {
  400: { description: "Invalid input", schema: errorSchema },
  401: { description: "No or invalid bearer token", schema: errorSchema },
  404: { description: "Not found (or not yours)", schema: errorSchema },
};

function feedOperations(base: string, auth: "user" | "staff", who: string): Operation[] {
  const denied: Operation["responses"] = auth === "staff" ? { 403: { description: "Not staff", schema: errorSchema } } : {};
  return [
    {
      method: "get",
      path: base,
      summary: `${who}'s calendar feeds (addresses are shown once, when made)`,
      auth,
      responses: { 200: { description: "Feeds", schema: z.object({ feeds: z.array(feedSchema) }) }, 401: errors[401], ...denied },
    },
    {
      method: "post",
      path: base,
      summary: `A new private iCalendar subscription address for ${who}; the previous one stops working`,
      auth,
      responses: {
        201: { description: "Made: subscribe to `url`", schema: z.object({ feed: feedSchema, url: z.string() }) },
        401: errors[401],
        ...denied,
      },
    },
    {
      method: "delete",
      path: `${base}/{id}`,
      summary: "Revoke a calendar feed: its address answers 404 from now on",
      auth,
      responses: { 200: { description: "Revoked", schema: z.object({ feed: feedSchema }) }, 401: errors[401], 404: errors[404], ...denied },
    },
  ];
}

/** Weekly series (每周重复) and calendar feeds (订阅日历). */
export const seriesOperations: Operation[] = [
  {
    method: "post",
    path: "/api/v1/series/preview",
    summary: "Each week of a weekly series starting at a slot, with whether it can be booked and why not",
    auth: "user",
    body: previewSeriesSchema,
    responses: { 200: { description: "Weeks", schema: z.object({ occurrences: z.array(occurrenceSchema) }) }, ...errors },
  },
  {
    method: "post",
    path: "/api/v1/series",
    summary: "Book the weeks not skipped, all or nothing, in one transaction; paid services get one payment for all",
    auth: "user",
    body: bookSeriesSchema,
    responses: {
      201: { description: "Booked", schema: z.object({ series: seriesSchema }) },
      ...errors,
      409: { description: "SLOT_FULL: details.occurrences names the weeks that cannot be had; nothing was booked", schema: errorSchema },
      422: { description: "RULE_VIOLATION", schema: errorSchema },
    },
  },
  {
    method: "get",
    path: "/api/v1/series/{id}",
    summary: "A series with its bookings",
    auth: "user",
    responses: { 200: { description: "Series", schema: z.object({ series: seriesSchema }) }, 401: errors[401], 404: errors[404] },
  },
  {
    method: "post",
    path: "/api/v1/series/{id}/pay",
    summary: "One payment for every week of the series on hold",
    auth: "user",
    body: payBookingSchema,
    responses: {
      201: { description: "Payment order", schema: z.object({ payment: z.object({ id: z.uuid(), amountFen: z.int() }).loose() }).loose() },
      ...errors,
      409: { description: "ALREADY_PAID, INVALID_STATE (not on hold, hold expired)", schema: errorSchema },
    },
  },
  {
    method: "post",
    path: "/api/v1/series/{id}/cancel",
    summary: "Cancel the weeks still ahead, each refunded by the policy as its own booking",
    auth: "user",
    body: cancelBookingSchema,
    responses: {
      200: {
        description: "Cancelled weeks and weeks kept (past the deadline)",
        schema: z.object({
          cancelled: z.array(z.object({ bookingId: z.uuid(), refundFen: z.int() })),
          kept: z.array(z.object({ bookingId: z.uuid(), code: z.string() })),
        }),
      },
      ...errors,
    },
  },
  {
    method: "post",
    path: "/api/v1/staff/courses",
    summary: "Define a course: sessions (timeslots) of a class service sold together",
    auth: "staff",
    body: defineCourseSchema,
    responses: {
      201: { description: "Defined", schema: z.object({ course: courseSchema }) },
      ...errors,
      403: { description: "Not staff", schema: errorSchema },
    },
  },
  {
    method: "get",
    path: "/api/v1/staff/courses/{id}/roster",
    summary: "The course's one roster: each buyer and the state of each of their sessions",
    auth: "staff",
    responses: {
      200: { description: "Roster", schema: z.object({ roster: rosterSchema }) },
      401: errors[401],
      403: { description: "Not staff", schema: errorSchema },
      404: errors[404],
    },
  },
  {
    method: "get",
    path: "/api/v1/courses/{id}",
    summary: "A course with its sessions and the seats left in each",
    auth: "user",
    responses: { 200: { description: "Course", schema: z.object({ course: courseSchema }) }, 401: errors[401], 404: errors[404] },
  },
  {
    method: "post",
    path: "/api/v1/courses/{id}/book",
    summary: "Buy every session of the course, all or nothing; pay it once with POST /api/v1/series/{id}/pay",
    auth: "user",
    body: bookCourseSchema,
    responses: {
      201: { description: "Booked", schema: z.object({ series: seriesSchema }) },
      ...errors,
      409: { description: "SLOT_FULL: details.occurrences names the sessions that cannot be had; nothing was booked", schema: errorSchema },
      422: { description: "RULE_VIOLATION", schema: errorSchema },
    },
  },
  ...feedOperations("/api/v1/me/calendar-feeds", "user", "The caller"),
  ...feedOperations("/api/v1/staff/calendar-feeds", "staff", "The staff member (bookings of their linked resources)"),
  {
    method: "get",
    path: "/api/v1/feeds/{token}",
    summary: "A calendar feed (text/calendar), no session: the path is `<token>.ics` from the feed's `url`; revoked or unknown: 404",
    responses: {
      200: { description: "iCalendar (text/calendar)" },
      404: errors[404],
      429: { description: "RATE_LIMITED: polled too often", schema: errorSchema },
    },
  },
];
