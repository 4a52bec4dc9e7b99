import { z } from "zod";
import { fieldDefinitionsSchema } from "@/lib/booking/fields";

const hhmm = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, "时间格式应为 HH:MM / Use HH:MM");
const range = z.object({ start: hhmm, end: hhmm });
const weekly = z.partialRecord(z.enum(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]), z.array(range).max(12));

export const scheduleSchema = z.object({
  weeklyHours: weekly.default({}),
  breaks: weekly.default({}),
  dateOverrides: z.record(z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.array(range).max(12)).default({}),
  slotIntervalMin: z.coerce.number().int().min(5).max(24 * 60).default(30),
  windowDays: z.coerce.number().int().min(1).max(366).default(28),
});
export type ScheduleInput = z.infer<typeof scheduleSchema>;

export const createServiceSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    nameEn: z.string().trim().max(100).optional(),
    description: z.string().trim().max(2000).default(""),
    kind: z.enum(["appointment", "class", "consultation"]).default("appointment"),
    durationMin: z.coerce.number().int().min(5).max(24 * 60),
    priceFen: z.coerce.number().int().min(0).max(100_000_000).default(0),
    depositFen: z.coerce.number().int().min(0).default(0),
    capacity: z.coerce.number().int().min(1).max(10_000).default(1),
    bufferBeforeMin: z.coerce.number().int().min(0).max(24 * 60).default(0),
    bufferAfterMin: z.coerce.number().int().min(0).max(24 * 60).default(0),
    resourceId: z.uuid().nullable().optional(),
    rules: z.record(z.string(), z.unknown()).default({}),
    fields: fieldDefinitionsSchema.default([]),
    reminderOffsetsMin: z.array(z.coerce.number().int().min(5).max(14 * 24 * 60)).max(5).default([1440, 60]),
    schedule: scheduleSchema.optional(),
  })
  .refine((s) => s.depositFen <= s.priceFen, { message: "定金不能高于价格 / The deposit cannot exceed the price", path: ["depositFen"] });
export type CreateServiceInput = z.infer<typeof createServiceSchema>;

export const createResourceSchema = z.object({
  kind: z.enum(["staff", "room"]),
  name: z.string().trim().min(1).max(100),
  userId: z.uuid().nullable().optional(),
});

export const generateSlotsSchema = z.object({
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  days: z.coerce.number().int().min(1).max(366).optional(),
});
