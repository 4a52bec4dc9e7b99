import { z } from "zod";

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "日期格式应为 YYYY-MM-DD / Use YYYY-MM-DD");

export const availabilityQuerySchema = z.object({ from: localDate, to: localDate });

export const createBookingSchema = z.object({
  timeslotId: z.uuid("无效的时段 / Invalid timeslot id"),
  seats: z.coerce.number().int().min(1).max(50).default(1),
  fields: z.record(z.string(), z.unknown()).default({}),
});
export type CreateBookingBody = z.infer<typeof createBookingSchema>;

export const cancelBookingSchema = z.object({ reason: z.string().trim().max(500).optional() });
export const rescheduleBookingSchema = z.object({ timeslotId: z.uuid("无效的时段 / Invalid timeslot id") });

export const idempotencyKeySchema = z.string().trim().min(1).max(200).optional();
