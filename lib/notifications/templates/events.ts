import { DateTime } from "luxon";
import { z } from "zod";

/**
 * Notification events and the data each one needs. Payloads travel through the outbox as JSON,
 * so instants are accepted as Date or ISO-8601 strings and always come out as Date.
 */
export const notificationEvents = [
  "booking_confirmed",
  "booking_pending_payment",
  "payment_received",
  "booking_cancelled",
  "booking_rescheduled",
  "refund_issued",
  "hold_expired",
  "waitlist_offer",
  "reminder",
  "staff_new_booking",
  "staff_booking_cancelled",
  "staff_refund_problem",
] as const;

export type NotificationEvent = (typeof notificationEvents)[number];

export const isStaffEvent = (event: NotificationEvent): boolean => event.startsWith("staff_");

const instant = z.union([z.date(), z.iso.datetime({ offset: true })]).transform((v) => new Date(v));
const fen = z.number().int().nonnegative();
/** Only http(s): a `javascript:` pay link must never reach an href. */
const httpUrl = z.url({ protocol: /^https?$/ });
const timezone = z.string().refine((zone) => DateTime.now().setZone(zone).isValid, { message: "unknown IANA time zone" });

const booking = z.object({
  bookingCode: z.string().min(1),
  customerName: z.string().min(1),
  serviceName: z.string().min(1),
  businessName: z.string().min(1),
  address: z.string().min(1).optional(),
  startsAt: instant,
  endsAt: instant,
  /** The business's time zone: every time in a message is shown in it. */
  timezone: timezone.default("Asia/Shanghai"),
  /** Link to the booking page, shown as the main action when the event has none of its own. */
  manageUrl: httpUrl.optional(),
  /** The calendar event the email's .ics updates (see lib/notifications/ics.ts: bookingCalendar). */
  calendar: z.object({ bookingId: z.string().min(1), sequence: z.number().int().nonnegative() }).optional(),
});

const reason = z.string().min(1).max(200).optional();

export const eventSchemas = {
  booking_confirmed: booking.extend({ amountFen: fen.optional() }),
  booking_pending_payment: booking.extend({ amountFen: fen, payUrl: httpUrl, payBy: instant.optional() }),
  payment_received: booking.extend({ amountFen: fen }),
  booking_cancelled: booking.extend({ refundFen: fen.optional(), reason }),
  booking_rescheduled: booking.extend({ previousStartsAt: instant }),
  refund_issued: booking.extend({ refundFen: fen }),
  hold_expired: booking,
  /** A waitlisted customer's seat, held until payBy: pay (amountFen) or accept at payUrl. */
  waitlist_offer: booking.extend({ amountFen: fen.optional(), payUrl: httpUrl, payBy: instant }),
  /** `hoursBefore`: the reminder offset (24 and 1 by default), rendered as "in N hours". */
  reminder: booking.extend({ hoursBefore: z.number().int().positive() }),
  staff_new_booking: booking.extend({ customerPhone: z.string().min(1).optional(), amountFen: fen.optional() }),
  staff_booking_cancelled: booking.extend({ refundFen: fen.optional(), reason }),
  /** A refund the gateway refused, closed or could not pay out; `reason` says which. */
  staff_refund_problem: booking.extend({ refundFen: fen, reason }),
} satisfies Record<NotificationEvent, z.ZodType>;

export type EventSchemas = typeof eventSchemas;
/** What callers pass (Dates or ISO strings, timezone optional). */
export type EventInput<E extends NotificationEvent> = z.input<EventSchemas[E]>;
/** What templates read after parsing. */
export type EventData<E extends NotificationEvent> = z.output<EventSchemas[E]>;

/** Every field any event may carry, for code that handles events generically. */
export type AnyEventData = z.output<typeof booking> & {
  amountFen?: number;
  refundFen?: number;
  payUrl?: string;
  payBy?: Date;
  reason?: string;
  previousStartsAt?: Date;
  hoursBefore?: number;
  customerPhone?: string;
};

/** Validates (throws a ZodError on bad data: a programming error, not a delivery failure). */
export function parseEventData<E extends NotificationEvent>(event: E, data: unknown): EventData<E> {
  // A mapped type keeps the event and its schema correlated under the generic index.
  const schemas: { [K in NotificationEvent]: z.ZodType<EventData<K>> } = eventSchemas;
  return schemas[event].parse(data);
}
