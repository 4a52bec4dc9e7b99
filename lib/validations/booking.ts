import { z } from "zod";
import { calendarDate as localDate } from "./date";

export const availabilityQuerySchema = z.object({
  from: localDate,
  to: localDate,
  /** Only this staff member's free seats (选技师). */
  staffId: z.uuid("invalidStaff").optional(),
});

export const createBookingSchema = z.object({
  timeslotId: z.uuid("invalidTimeslot"),
  seats: z.coerce.number().int().min(1).max(50).default(1),
  fields: z.record(z.string(), z.unknown()).default({}),
  /** Pay with one of the caller's passes (GET /api/v1/me/passes). */
  passId: z.uuid("invalidPass").optional(),
  couponCode: z.string().trim().min(1).max(40).optional(),
  /** The staff member to serve the booking (GET /api/v1/services lists them), or "any" (the default) for any available. */
  staffId: z.union([z.uuid("invalidStaff"), z.literal("any")]).optional(),
});
export type CreateBookingBody = z.infer<typeof createBookingSchema>;

export const cancelBookingSchema = z.object({ reason: z.string().trim().max(500).optional() });
export const rescheduleBookingSchema = z.object({
  timeslotId: z.uuid("invalidTimeslot"),
  /** A staff member for the new time, or "any"; left out: the same one when free, else any. */
  staffId: z.union([z.uuid("invalidStaff"), z.literal("any")]).optional(),
});

/** "any" (or nothing) is any available staff member: null for the domain. */
export const staffChoice = (staffId: string | undefined): string | null => (staffId && staffId !== "any" ? staffId : null);

export const idempotencyKeySchema = z.string().trim().min(1).max(200).optional();
