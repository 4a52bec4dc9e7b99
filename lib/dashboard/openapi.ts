import { z } from "zod";
import type { Operation } from "@/lib/api/openapi";
import { errorSchema } from "@/lib/api/schemas";
import { bookingSchema } from "@/lib/booking/openapi";
import { bookingFilterSchema, bookOnBehalfSchema, checkInSchema, slotStatusSchema } from "@/lib/validations/dashboard";

const staffErrors = {
  400: { description: "Invalid input", schema: errorSchema },
  401: { description: "No or invalid bearer token", schema: errorSchema },
  403: { description: "Not staff", schema: errorSchema },
};
const reason = z.object({ reason: z.string().max(500).optional() });
const transition = (path: string, summary: string): Operation => ({
  method: "post",
  path,
  summary,
  auth: "staff",
  body: reason,
  responses: { 200: { description: "Done" }, ...staffErrors, 404: { description: "No such booking", schema: errorSchema }, 409: { description: "INVALID_STATE: the booking's status does not allow it", schema: errorSchema } },
});

/** The staff endpoints behind /dashboard, described from the schemas they parse with. */
export const dashboardOperations: Operation[] = [
  { method: "get", path: "/api/v1/staff/bookings", summary: "Search and filter bookings (staff)", auth: "staff", query: bookingFilterSchema, responses: { 200: { description: "A page of bookings" }, ...staffErrors } },
  { method: "post", path: "/api/v1/staff/bookings", summary: "Book on behalf of a customer, found or created (staff)", auth: "staff", body: bookOnBehalfSchema, responses: { 201: { description: "Booked", schema: z.object({ booking: bookingSchema }) }, ...staffErrors, 409: { description: "SLOT_FULL or RESOURCE_BUSY", schema: errorSchema }, 422: { description: "RULE_VIOLATION", schema: errorSchema } } },
  { method: "get", path: "/api/v1/staff/bookings/{id}", summary: "Booking detail: answers, payments, refunds, messages, audit trail (staff)", auth: "staff", responses: { 200: { description: "Detail" }, ...staffErrors, 404: { description: "Not found", schema: errorSchema } } },
  transition("/api/v1/staff/bookings/{id}/confirm", "Confirm a pending booking (e.g. paid offline; reason required)"),
  transition("/api/v1/staff/bookings/{id}/complete", "Mark a confirmed booking completed"),
  transition("/api/v1/staff/bookings/{id}/no-show", "Mark a started confirmed booking as a no-show"),
  transition("/api/v1/staff/bookings/{id}/cancel", "Cancel (any time); the policy refund is carried out"),
  { method: "post", path: "/api/v1/staff/check-in", summary: "Check a booking in by its code (核销)", auth: "staff", body: checkInSchema, responses: { 200: { description: "Checked in" }, ...staffErrors, 404: { description: "No booking with that code", schema: errorSchema }, 409: { description: "INVALID_STATE", schema: errorSchema } } },
  { method: "post", path: "/api/v1/staff/timeslots/status", summary: "Close or reopen slots (staff)", auth: "staff", body: slotStatusSchema, responses: { 200: { description: "Changed" }, ...staffErrors } },
];
