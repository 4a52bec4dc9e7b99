import { z } from "zod";
import { calendarDate } from "./date";

export { calendarDate };

/** One business-wide closed day (the staff API's POST /api/v1/staff/holidays and the settings form). */
export const holidaySchema = z.object({
  date: calendarDate,
  name: z.preprocess((v) => (v === null || v === undefined ? "" : v), z.string().trim().max(60)),
});
export type HolidayInput = z.infer<typeof holidaySchema>;

export const holidayDateSchema = z.object({ date: calendarDate });

/** What staff do with a slot whose bookings no longer fit its service's schedule or capacity. */
export const conflictActionSchema = z.object({
  slotId: z.uuid(),
  action: z.enum(["cancel", "keep"]),
  reason: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.string().trim().max(500).optional()),
});
export type ConflictActionInput = z.infer<typeof conflictActionSchema>;
