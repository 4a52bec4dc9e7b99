import { z } from "zod";

/** A real calendar date, YYYY-MM-DD (2026-02-30 is refused). */
export const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "dateFormat")
  .refine((d) => new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d, "noSuchDate");

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
