import { z } from "zod";
import type { Operation } from "@/lib/api/openapi";
import { errorSchema, resourceSchema as resourceDtoSchema, serviceSchema } from "@/lib/api/schemas";
import { waitlistOperations } from "@/lib/api/operations/waitlist";
import { seriesOperations } from "@/lib/api/operations/series";
import { availabilityQuerySchema, cancelBookingSchema, createBookingSchema, rescheduleBookingSchema } from "@/lib/validations/booking";
import { createServiceSchema, generateSlotsSchema, resourceSchema, updateServiceSchema } from "@/lib/validations/service";

const slotSchema = z.object({
  id: z.uuid(),
  startsAt: z.string(),
  endsAt: z.string(),
  capacity: z.int(),
  remaining: z.int(),
  state: z.enum(["open", "full", "closed", "unavailable"]),
  reasons: z.array(z.object({ rule: z.string(), text: z.string(), message: z.object({ "zh-CN": z.string(), en: z.string() }) })),
  staff: z
    .array(z.object({ id: z.uuid(), remaining: z.int() }))
    .optional()
    .describe("When staff offer the service: the ones free at the slot and the seats each can still take"),
});

export const bookingSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  status: z.enum(["pending_payment", "confirmed", "completed", "no_show", "expired", "cancelled"]),
  serviceId: z.uuid(),
  timeslotId: z.uuid(),
  seats: z.int(),
  staffId: z.uuid().nullable().describe("The staff member serving the booking, picked or assigned; null when nobody offers the service"),
  startsAt: z.string(),
  endsAt: z.string(),
  priceFen: z.int(),
  amountDueFen: z.int(),
  holdExpiresAt: z.string().nullable(),
  fields: z.record(z.string(), z.unknown()),
  rescheduledFromId: z.uuid().nullable(),
  createdAt: z.string(),
  /** GET answers: price, what was paid (online and at the desk), refunded, and the balance still due. */
  balance: z
    .object({
      priceFen: z.int(),
      paidFen: z.int(),
      refundedFen: z.int(),
      refundingFen: z.int(),
      cardFen: z.int(),
      balanceFen: z.int(),
    })
    .optional(),
});

const errors = {
  400: { description: "Invalid input", schema: errorSchema },
  401: { description: "No or invalid bearer token", schema: errorSchema },
  404: { description: "Not found (or not yours)", schema: errorSchema },
};

export const bookingOperations: Operation[] = [
  ...waitlistOperations,
  ...seriesOperations,
  {
    method: "get",
    path: "/api/v1/services/{id}/availability",
    summary: "Slots of a service between two local dates, with remaining seats and why a slot cannot be booked",
    query: availabilityQuerySchema,
    responses: {
      200: { description: "Availability", schema: z.object({ timezone: z.string(), slots: z.array(slotSchema) }) },
      400: errors[400],
      404: errors[404],
    },
  },
  {
    method: "post",
    path: "/api/v1/bookings",
    summary: "Book a timeslot (send Idempotency-Key to make retries safe)",
    auth: "user",
    body: createBookingSchema,
    responses: {
      201: { description: "Booked (pending_payment with a hold, or confirmed when free)", schema: z.object({ booking: bookingSchema }) },
      ...errors,
      409: { description: "SLOT_FULL, SLOT_CLOSED or RESOURCE_BUSY (the staff member picked, or every one, is busy)", schema: errorSchema },
      422: { description: "RULE_VIOLATION with every violated rule in details.violations", schema: errorSchema },
    },
  },
  {
    method: "get",
    path: "/api/v1/bookings",
    summary: "The caller's bookings",
    auth: "user",
    responses: { 200: { description: "Bookings", schema: z.object({ bookings: z.array(bookingSchema) }) }, 401: errors[401] },
  },
  {
    method: "get",
    path: "/api/v1/bookings/{id}",
    summary: "One booking, with the refund a cancellation would give now",
    auth: "user",
    responses: { 200: { description: "Booking", schema: z.object({ booking: bookingSchema }) }, 401: errors[401], 404: errors[404] },
  },
  {
    method: "post",
    path: "/api/v1/bookings/{id}/cancel",
    summary: "Cancel within policy; the refund follows the policy's tiers",
    auth: "user",
    body: cancelBookingSchema,
    responses: {
      200: {
        description: "Cancelled",
        schema: z.object({ booking: bookingSchema, refund: z.object({ amountFen: z.int(), percent: z.number() }) }),
      },
      ...errors,
      409: { description: "INVALID_STATE", schema: errorSchema },
      422: { description: "Past the cancellation deadline", schema: errorSchema },
    },
  },
  {
    method: "post",
    path: "/api/v1/bookings/{id}/reschedule",
    summary: "Move to another slot of the same service in one transaction, keeping the payment",
    auth: "user",
    body: rescheduleBookingSchema,
    responses: {
      200: { description: "Rescheduled (the new booking)", schema: z.object({ booking: bookingSchema }) },
      ...errors,
      409: { description: "SLOT_FULL, RESOURCE_BUSY or INVALID_STATE", schema: errorSchema },
      422: { description: "RULE_VIOLATION", schema: errorSchema },
    },
  },
  {
    method: "post",
    path: "/api/v1/staff/services",
    summary: "Create a service with its schedule (staff)",
    auth: "staff",
    body: createServiceSchema,
    responses: {
      201: { description: "Created", schema: z.object({ service: serviceSchema }) },
      ...errors,
      403: { description: "Not staff", schema: errorSchema },
    },
  },
  {
    method: "patch",
    path: "/api/v1/staff/services/{id}",
    summary: "Change some fields of a service; the dashboard's editor goes through the same rules (staff)",
    auth: "staff",
    body: updateServiceSchema,
    responses: {
      200: { description: "Updated", schema: z.object({ service: serviceSchema }) },
      ...errors,
      403: { description: "Not staff", schema: errorSchema },
    },
  },
  {
    method: "post",
    path: "/api/v1/staff/resources",
    summary: "Create a staff member or room; a linked account must be staff (staff)",
    auth: "staff",
    body: resourceSchema,
    responses: {
      201: { description: "Created", schema: z.object({ resource: resourceDtoSchema }) },
      ...errors,
      403: { description: "Not staff", schema: errorSchema },
    },
  },
  {
    method: "put",
    path: "/api/v1/staff/resources/{id}",
    summary: "Replace a staff member or room (kind, name, linked staff account, active) (staff)",
    auth: "staff",
    body: resourceSchema,
    responses: {
      200: { description: "Saved", schema: z.object({ resource: resourceDtoSchema }) },
      ...errors,
      403: { description: "Not staff", schema: errorSchema },
    },
  },
  {
    method: "post",
    path: "/api/v1/staff/services/{id}/timeslots/generate",
    summary: "Generate the service's timeslots for its rolling window; idempotent (staff)",
    auth: "staff",
    body: generateSlotsSchema,
    responses: {
      200: { description: "Counts", schema: z.object({ created: z.int(), considered: z.int() }) },
      ...errors,
      403: { description: "Not staff", schema: errorSchema },
    },
  },
];
