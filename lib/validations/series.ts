import { z } from "zod";

/** The longest weekly series one confirmation books. */
export const MAX_SERIES_COUNT = 12;

export const previewSeriesSchema = z.object({
  /** The first week's slot: the series repeats its local weekday and time. */
  timeslotId: z.uuid("invalidTimeslot"),
  count: z.coerce.number().int().min(2).max(MAX_SERIES_COUNT),
  seats: z.coerce.number().int().min(1).max(50).default(1),
});

export const bookSeriesSchema = previewSeriesSchema.extend({
  /** Week indexes (0 = the first) not to book. */
  skip: z
    .array(
      z.coerce
        .number()
        .int()
        .min(0)
        .max(MAX_SERIES_COUNT - 1),
    )
    .max(MAX_SERIES_COUNT)
    .default([]),
  fields: z.record(z.string(), z.unknown()).default({}),
});
export type BookSeriesBody = z.infer<typeof bookSeriesSchema>;

/** Staff define a course: a class service's sessions (its timeslots), sold together. */
export const defineCourseSchema = z.object({
  serviceId: z.uuid(),
  name: z.string().trim().min(1).max(100),
  timeslotIds: z.array(z.uuid("invalidTimeslot")).min(2).max(60),
});

export const bookCourseSchema = z.object({
  seats: z.coerce.number().int().min(1).max(50).default(1),
  fields: z.record(z.string(), z.unknown()).default({}),
});
