import { z } from "zod";
import { calendarDate } from "./date";
import { fieldDefinitionsSchema } from "./fields";

const hhmm = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, "timeFormat");
const range = z.object({ start: hhmm, end: hhmm });
const weekly = z.partialRecord(z.enum(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]), z.array(range).max(12));

export const scheduleSchema = z.object({
  weeklyHours: weekly.default({}),
  breaks: weekly.default({}),
  dateOverrides: z.record(calendarDate, z.array(range).max(12)).default({}),
  slotIntervalMin: z.coerce
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(30),
  windowDays: z.coerce.number().int().min(1).max(366).default(28),
});
export type ScheduleInput = z.infer<typeof scheduleSchema>;

/** Seats per slot: one rule for the REST API and the dashboard. */
export const MAX_CAPACITY = 10_000;

const minutes = z.coerce
  .number()
  .int()
  .min(0)
  .max(24 * 60);
const fen = z.coerce.number().int().min(0, "amountNegative").max(100_000_000, "amountTooLarge");
const depositWithinPrice = { message: "depositOverPrice", path: ["depositFen"] };

/**
 * Every field of a service and its one rule. JSON semantics: `null` clears a nullable field; in an
 * update, a missing field stays as it is. The dashboard's FormData is turned into this shape by
 * serviceFormFromData (lib/validations/dashboard.ts), so both callers parse with the same schema.
 */
const serviceFields = {
  name: z.string().trim().min(1, "nameRequired").max(100),
  nameEn: z
    .string()
    .trim()
    .max(100)
    .transform((v) => v || null)
    .nullable(),
  description: z.string().trim().max(2000),
  descriptionEn: z
    .string()
    .trim()
    .max(2000)
    .transform((v) => v || null)
    .nullable(),
  kind: z.enum(["appointment", "class", "consultation"]),
  durationMin: z.coerce
    .number()
    .int()
    .min(5)
    .max(24 * 60),
  priceFen: fen,
  depositFen: fen,
  capacity: z.coerce.number().int().min(1).max(MAX_CAPACITY),
  bufferBeforeMin: minutes,
  bufferAfterMin: minutes,
  resourceId: z.uuid().nullable(),
  rules: z.record(z.string(), z.unknown()),
  fields: fieldDefinitionsSchema,
  reminderOffsetsMin: z
    .array(
      z.coerce
        .number()
        .int()
        .min(5)
        .max(14 * 24 * 60),
    )
    .max(5),
  active: z.boolean(),
};

/** Create a service (POST /api/v1/staff/services and the dashboard's new-service form). */
export const createServiceSchema = z
  .object({
    ...serviceFields,
    nameEn: serviceFields.nameEn.optional(),
    descriptionEn: serviceFields.descriptionEn.optional(),
    description: serviceFields.description.default(""),
    kind: serviceFields.kind.default("appointment"),
    priceFen: fen.default(0),
    depositFen: fen.default(0),
    capacity: serviceFields.capacity.default(1),
    bufferBeforeMin: minutes.default(0),
    bufferAfterMin: minutes.default(0),
    resourceId: serviceFields.resourceId.optional(),
    rules: serviceFields.rules.default({}),
    fields: serviceFields.fields.default([]),
    reminderOffsetsMin: serviceFields.reminderOffsetsMin.default([1440, 60]),
    active: serviceFields.active.default(true),
    schedule: scheduleSchema.optional(),
  })
  .refine((s) => s.depositFen <= s.priceFen, depositWithinPrice);
export type CreateServiceInput = z.infer<typeof createServiceSchema>;

/** Change some fields of a service (PATCH /api/v1/staff/services/{id} and the dashboard's service editor). */
export const updateServiceSchema = z
  .object(serviceFields)
  .partial()
  .refine((s) => s.depositFen === undefined || s.priceFen === undefined || s.depositFen <= s.priceFen, depositWithinPrice);
export type UpdateServiceInput = z.infer<typeof updateServiceSchema>;

/**
 * Create or replace a staff member or room (POST /api/v1/staff/resources, PUT …/{id}, the dashboard's
 * resource rows). The linked account must be staff: checked by saveResource against the database.
 */
export const resourceSchema = z.object({
  kind: z.enum(["staff", "room"]),
  name: z.string().trim().min(1, "nameRequired").max(100),
  userId: z.uuid().nullable().default(null),
  active: z.boolean().default(true),
  /** Shown to customers who pick a staff member; left out: unchanged. */
  title: z
    .string()
    .trim()
    .max(60)
    .transform((v) => v || null)
    .nullable()
    .optional(),
  photoUrl: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .nullable()
    .optional()
    .or(z.literal("").transform(() => null)),
});
export type ResourceInput = z.infer<typeof resourceSchema>;

/** A staff member's own hours (PUT /api/v1/staff/resources/{id}/hours, the dashboard's staff page). null weekly hours: the services' hours. */
export const staffHoursSchema = z.object({
  weeklyHours: weekly.nullable().default(null),
  breaks: weekly.default({}),
  dateOverrides: z.record(calendarDate, z.array(range).max(12)).default({}),
});
export type StaffHoursInput = z.infer<typeof staffHoursSchema>;

/** A staff member's absence (leave, sick day). */
export const timeOffSchema = z
  .object({
    startsAt: z.coerce.date(),
    endsAt: z.coerce.date(),
    kind: z.enum(["leave", "sick", "other"]).default("leave"),
    note: z.string().trim().max(200).default(""),
  })
  .refine((t) => t.endsAt > t.startsAt, { message: "timeOffRange", path: ["endsAt"] });
export type TimeOffInput = z.infer<typeof timeOffSchema>;

/** Who offers a service and how "any available" picks among them (PUT /api/v1/staff/services/{id}/staff). */
export const serviceStaffSchema = z.object({
  policy: z.enum(["least_booked", "round_robin"]).default("least_booked"),
  staff: z
    .array(z.object({ resourceId: z.uuid(), weight: z.coerce.number().int().min(1).max(100).default(1) }))
    .max(200)
    .refine((l) => new Set(l.map((s) => s.resourceId)).size === l.length, "duplicateStaff"),
});
export type ServiceStaffInput = z.infer<typeof serviceStaffSchema>;

export const generateSlotsSchema = z.object({
  from: calendarDate.optional(),
  days: z.coerce.number().int().min(1).max(366).optional(),
});
