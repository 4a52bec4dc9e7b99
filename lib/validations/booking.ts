import { z } from "zod";
import { calendarDate as localDate } from "./date";

export const availabilityQuerySchema = z.object({ from: localDate, to: localDate });

export const createBookingSchema = z.object({
  timeslotId: z.uuid("invalidTimeslot"),
  seats: z.coerce.number().int().min(1).max(50).default(1),
  fields: z.record(z.string(), z.unknown()).default({}),
  /** Pay with one of the caller's passes (GET /api/v1/me/passes). */
  passId: z.uuid("invalidPass").optional(),
  couponCode: z.string().trim().min(1).max(40).optional(),
});
export type CreateBookingBody = z.infer<typeof createBookingSchema>;

export const cancelBookingSchema = z.object({ reason: z.string().trim().max(500).optional() });
export const rescheduleBookingSchema = z.object({ timeslotId: z.uuid("invalidTimeslot") });

export const idempotencyKeySchema = z.string().trim().min(1).max(200).optional();
