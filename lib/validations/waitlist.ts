import { z } from "zod";

/** POST /api/v1/timeslots/{id}/waitlist: seats wanted (default 1) and the service form's answers. */
export const joinWaitlistSchema = z.object({
  seats: z.coerce.number().int().min(1).max(50).default(1),
  fields: z.record(z.string(), z.unknown()).default({}),
});

/** Staff move a waiting entry to a place in its slot's queue (1 = next in line). */
export const moveWaitlistSchema = z.object({
  position: z.coerce.number().int().min(1).max(10_000),
  reason: z.string().trim().max(500).optional(),
});

/** The dashboard's move form (up or down one place). */
export const moveWaitlistFormSchema = moveWaitlistSchema.extend({ entryId: z.uuid(), bookingId: z.uuid().optional() });
