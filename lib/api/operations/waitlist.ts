import { z } from "zod";
import type { Operation } from "@/lib/api/openapi";
import { errorSchema } from "@/lib/api/schemas";
import { joinWaitlistSchema, moveWaitlistSchema } from "@/lib/validations/waitlist";

const entrySchema = z.object({
  id: z.uuid(),
  timeslotId: z.uuid(),
  serviceId: z.uuid(),
  serviceName: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  seats: z.int(),
  status: z.enum(["waiting", "offered", "booked", "expired", "left"]),
  /** 1 = next in line; null once out of the queue. */
  position: z.int().nullable(),
  bookingId: z.uuid().nullable(),
  offerExpiresAt: z.string().nullable(),
  createdAt: z.string(),
});
const queueEntrySchema = entrySchema.extend({ customerId: z.uuid(), customerName: z.string(), customerPhone: z.string().nullable() });

const errors = {
  400: { description: "Invalid input", schema: errorSchema },
  401: { description: "No or invalid bearer token", schema: errorSchema },
  404: { description: "Not found (or not yours)", schema: errorSchema },
};

/** The waitlist (候补) of full slots: DESIGN.md, HTTP contract. */
export const waitlistOperations: Operation[] = [
  {
    method: "post",
    path: "/api/v1/timeslots/{id}/waitlist",
    summary: "Join a full slot's waitlist (joining again returns the place held)",
    auth: "user",
    body: joinWaitlistSchema,
    responses: {
      201: { description: "Joined", schema: z.object({ entry: entrySchema }) },
      200: { description: "Already in the queue: the place held", schema: z.object({ entry: entrySchema }) },
      ...errors,
      409: { description: "CONFLICT: the slot has room, book it instead; SLOT_CLOSED", schema: errorSchema },
      422: { description: "RULE_VIOLATION", schema: errorSchema },
    },
  },
  {
    method: "get",
    path: "/api/v1/waitlist",
    summary: "The caller's waitlist entries, newest first",
    auth: "user",
    responses: { 200: { description: "Entries", schema: z.object({ entries: z.array(entrySchema) }) }, 401: errors[401] },
  },
  {
    method: "post",
    path: "/api/v1/waitlist/{id}/accept",
    summary: "Accept an offer: a free seat becomes a confirmed booking; a paid one is the held booking to pay",
    auth: "user",
    responses: {
      200: {
        description: "Accepted",
        schema: z.object({ entry: entrySchema, booking: z.object({ id: z.uuid(), status: z.string() }).loose() }),
      },
      ...errors,
      409: { description: "INVALID_STATE: no open offer (waiting, expired, left)", schema: errorSchema },
      422: { description: "RULE_VIOLATION", schema: errorSchema },
    },
  },
  {
    method: "delete",
    path: "/api/v1/waitlist/{id}",
    summary: "Leave the waitlist; an offer's held seat goes to the next in line",
    auth: "user",
    responses: {
      200: { description: "Left", schema: z.object({ entry: entrySchema }) },
      ...errors,
      409: { description: "INVALID_STATE: already booked, expired or left", schema: errorSchema },
    },
  },
  {
    method: "get",
    path: "/api/v1/staff/timeslots/{id}/waitlist",
    summary: "A slot's waitlist in queue order (staff)",
    auth: "staff",
    responses: { 200: { description: "Queue", schema: z.object({ entries: z.array(queueEntrySchema) }) }, ...errors },
  },
  {
    method: "post",
    path: "/api/v1/staff/waitlist/{id}/move",
    summary: "Move a waiting entry to a place in its slot's queue, audited (staff)",
    auth: "staff",
    body: moveWaitlistSchema,
    responses: {
      200: { description: "The queue after the move", schema: z.object({ entries: z.array(queueEntrySchema) }) },
      ...errors,
      409: { description: "INVALID_STATE: the entry is not waiting", schema: errorSchema },
    },
  },
];
