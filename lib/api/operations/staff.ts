import { z } from "zod";
import type { Operation } from "@/lib/api/openapi";
import { errorSchema } from "@/lib/api/schemas";
import { bookingSchema } from "@/lib/api/operations/booking";
import {
  bookingFilterSchema,
  bookOnBehalfSchema,
  checkInSchema,
  confirmOfflineBodySchema,
  deskPaymentBodySchema,
  slotStatusSchema,
} from "@/lib/validations/dashboard";
import { conflictActionSchema, holidaySchema } from "@/lib/validations/schedule";
import { scheduleSchema } from "@/lib/validations/service";

const staffErrors = {
  400: { description: "Invalid input", schema: errorSchema },
  401: { description: "No or invalid bearer token", schema: errorSchema },
  403: { description: "Not staff", schema: errorSchema },
};
const paymentSchema = z.object({
  id: z.uuid(),
  bookingId: z.uuid().nullable(),
  provider: z.string(),
  outTradeNo: z.string(),
  amountFen: z.int(),
  status: z.string(),
});
const balanceSchema = z.object({
  priceFen: z.int(),
  paidFen: z.int(),
  refundedFen: z.int(),
  refundingFen: z.int(),
  cardFen: z.int(),
  balanceFen: z.int(),
});
const reason = z.object({ reason: z.string().max(500).optional() });
const reconcileCounts = z.object({
  created: z.int(),
  removed: z.int(),
  closed: z.int(),
  reopened: z.int(),
  updated: z.int(),
  conflicts: z.int(),
});
const holiday = z.object({ date: z.string(), name: z.string() });
const holidaysChange = z.object({ holidays: z.array(holiday), reconciled: reconcileCounts });
const transition = (path: string, summary: string): Operation => ({
  method: "post",
  path,
  summary,
  auth: "staff",
  body: reason,
  responses: {
    200: { description: "Done" },
    ...staffErrors,
    404: { description: "No such booking", schema: errorSchema },
    409: { description: "INVALID_STATE: the booking's status does not allow it", schema: errorSchema },
  },
});

/** The staff endpoints behind /dashboard, described from the schemas they parse with. */
export const dashboardOperations: Operation[] = [
  {
    method: "get",
    path: "/api/v1/staff/bookings",
    summary: "Search and filter bookings (staff)",
    auth: "staff",
    query: bookingFilterSchema,
    responses: { 200: { description: "A page of bookings" }, ...staffErrors },
  },
  {
    method: "post",
    path: "/api/v1/staff/bookings",
    summary: "Book on behalf of a customer, found or created (staff)",
    auth: "staff",
    body: bookOnBehalfSchema,
    responses: {
      201: { description: "Booked", schema: z.object({ booking: bookingSchema }) },
      ...staffErrors,
      409: { description: "SLOT_FULL or RESOURCE_BUSY", schema: errorSchema },
      422: { description: "RULE_VIOLATION", schema: errorSchema },
    },
  },
  {
    method: "get",
    path: "/api/v1/staff/bookings/{id}",
    summary: "Booking detail: answers, payments, refunds, messages, audit trail (staff)",
    auth: "staff",
    responses: { 200: { description: "Detail" }, ...staffErrors, 404: { description: "Not found", schema: errorSchema } },
  },
  {
    method: "post",
    path: "/api/v1/staff/bookings/{id}/confirm",
    summary:
      "Confirm a pending booking paid offline: records a desk payment of the amount due (or amountFen), method other (or method), the reason as its note",
    auth: "staff",
    body: confirmOfflineBodySchema,
    responses: {
      200: { description: "Confirmed, with the desk payment", schema: z.object({ booking: z.unknown(), payment: paymentSchema }) },
      ...staffErrors,
      404: { description: "No such booking", schema: errorSchema },
      409: { description: "INVALID_STATE: the booking is not on hold", schema: errorSchema },
    },
  },
  {
    method: "post",
    path: "/api/v1/staff/bookings/{id}/payments",
    summary: "Record a desk payment (cash, card, other) against a booking, at most its balance due (the whole balance by default)",
    auth: "staff",
    body: deskPaymentBodySchema,
    responses: {
      201: {
        description: "Recorded; a booking on hold is confirmed",
        schema: z.object({ booking: z.unknown(), payment: paymentSchema, balance: balanceSchema }),
      },
      ...staffErrors,
      404: { description: "No such booking", schema: errorSchema },
      409: { description: "INVALID_STATE: nothing due, or the booking's status takes no payment", schema: errorSchema },
    },
  },
  {
    method: "post",
    path: "/api/v1/staff/refunds/{id}/desk-return",
    summary: "Record a desk refund as handed back to the customer (once)",
    auth: "staff",
    body: z.object({ note: z.string().max(500).optional() }),
    responses: {
      200: { description: "Settled", schema: z.object({ refund: z.unknown() }) },
      ...staffErrors,
      404: { description: "No such refund", schema: errorSchema },
      409: { description: "INVALID_STATE: not a desk refund, or already settled", schema: errorSchema },
    },
  },
  transition("/api/v1/staff/bookings/{id}/complete", "Mark a confirmed booking completed"),
  transition("/api/v1/staff/bookings/{id}/no-show", "Mark a started confirmed booking as a no-show"),
  transition("/api/v1/staff/bookings/{id}/forgive-no-show", "Forgive a no-show: it no longer counts in the customer's no-show rule facts"),
  transition("/api/v1/staff/bookings/{id}/cancel", "Cancel (any time); the policy refund is carried out"),
  {
    method: "post",
    path: "/api/v1/staff/check-in",
    summary: "Check a booking in by its code (核销)",
    auth: "staff",
    body: checkInSchema,
    responses: {
      200: { description: "Checked in" },
      ...staffErrors,
      404: { description: "No booking with that code", schema: errorSchema },
      409: { description: "INVALID_STATE", schema: errorSchema },
    },
  },
  {
    method: "post",
    path: "/api/v1/staff/timeslots/status",
    summary: "Close or reopen slots (staff)",
    auth: "staff",
    body: slotStatusSchema,
    responses: { 200: { description: "Changed" }, ...staffErrors },
  },
  {
    method: "put",
    path: "/api/v1/staff/services/{id}/schedule",
    summary:
      "Replace a service's schedule; future slots follow at once (unbooked misfits removed, booked ones closed and listed as conflicts)",
    auth: "staff",
    body: scheduleSchema,
    responses: {
      200: { description: "Saved, with what the reconcile changed", schema: z.object({ reconciled: reconcileCounts }) },
      ...staffErrors,
      404: { description: "No such service", schema: errorSchema },
    },
  },
  {
    method: "get",
    path: "/api/v1/staff/holidays",
    summary: "Business-wide holidays (staff)",
    auth: "staff",
    responses: { 200: { description: "Holidays", schema: z.object({ holidays: z.array(holiday) }) }, ...staffErrors },
  },
  {
    method: "post",
    path: "/api/v1/staff/holidays",
    summary: "Add or rename a business-wide holiday: every service's slots that day close (admin)",
    auth: "staff",
    body: holidaySchema,
    responses: { 201: { description: "Added", schema: holidaysChange }, ...staffErrors },
  },
  {
    method: "delete",
    path: "/api/v1/staff/holidays/{date}",
    summary: "Lift a holiday: the services' slots that day come back (admin)",
    auth: "staff",
    responses: {
      200: { description: "Removed", schema: holidaysChange },
      ...staffErrors,
      404: { description: "No such holiday", schema: errorSchema },
    },
  },
  {
    method: "get",
    path: "/api/v1/staff/conflicts",
    summary: "Future slots whose bookings no longer fit the schedule, a holiday or the capacity (staff)",
    auth: "staff",
    responses: { 200: { description: "Conflicts, soonest first, with their active bookings" }, ...staffErrors },
  },
  {
    method: "post",
    path: "/api/v1/staff/conflicts/{id}",
    summary: "Settle the conflict on slot {id}: cancel its bookings through the staff cancellation (refund and notice) or keep them",
    auth: "staff",
    body: conflictActionSchema.omit({ slotId: true }),
    responses: {
      200: { description: "Settled", schema: z.object({ cancelled: z.array(z.uuid()) }) },
      ...staffErrors,
      404: { description: "No open conflict on that slot", schema: errorSchema },
    },
  },
];
