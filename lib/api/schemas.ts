import { z } from "zod";

/** Response shapes of the public contract; the OpenAPI document is generated from these. */
export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export const userSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  role: z.enum(["customer", "staff", "admin"]),
  locale: z.string(),
});

export const serviceSchema = z.object({
  id: z.uuid(),
  kind: z.enum(["appointment", "class", "consultation"]),
  name: z.string(),
  nameEn: z.string().nullable(),
  description: z.string(),
  descriptionEn: z.string().nullable(),
  durationMin: z.int(),
  priceFen: z.int(),
  depositFen: z.int(),
  capacity: z.int(),
  currency: z.string(),
  resourceId: z.uuid().nullable(),
  fields: z.array(z.record(z.string(), z.unknown())),
  staffPolicy: z.enum(["least_booked", "round_robin"]).optional(),
  staff: z
    .array(z.object({ id: z.uuid(), name: z.string(), title: z.string().nullable(), photoUrl: z.string().nullable() }))
    .optional()
    .describe('Who offers the service (选技师): book with one\'s id as staffId, or "any"'),
});

export const healthSchema = z.object({
  status: z.enum(["ok", "degraded", "down"]),
  db: z.enum(["ok", "down"]),
  cache: z.enum(["ok", "down"]),
  queue: z.enum(["ok", "down"]),
  dbKind: z.enum(["postgres", "pglite"]),
  cacheKind: z.string(),
});

export const customerSchema = userSchema.extend({
  groups: z.array(z.string()),
  createdAt: z.string(),
  bookingCount: z.int(),
  noShowCount: z.int(),
  lastVisit: z.string().nullable(),
});

export const resourceSchema = z.object({
  id: z.uuid(),
  kind: z.enum(["staff", "room"]),
  name: z.string(),
  userId: z.uuid().nullable(),
  active: z.boolean(),
});
