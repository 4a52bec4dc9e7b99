import { createEvent, type EventAttributes } from "ics";
import type { Attachment } from "./channels/types";

/**
 * The booking as an iCalendar invitation. Calendars match updates by UID and keep the highest
 * SEQUENCE, so a reschedule must reuse the UID with a larger sequence, and a cancellation must
 * reuse both (METHOD:CANCEL, STATUS:CANCELLED) to remove the event instead of adding another.
 */
export type BookingIcsInput = {
  /**
   * UID becomes `<bookingId>@yuyue`. A reschedule creates a new booking row, so pass the id of the
   * first booking in the chain to keep updating the same calendar event.
   */
  bookingId: string;
  startsAt: Date;
  endsAt: Date;
  summary: string;
  description?: string;
  location?: string;
  url?: string;
  organizer: { name: string; email: string };
  attendee?: { name?: string; email: string };
  /** 0 for the first invitation; bump on every reschedule (and keep it for the cancellation). */
  sequence?: number;
  cancelled?: boolean;
  /**
   * DTSTAMP. Pass a stored instant (the notification's createdAt), not the clock: a retried send
   * must be byte-identical, or Resend answers the reused Idempotency-Key with 409.
   */
  stampedAt: Date;
};

export const ICS_FILENAME = "booking.ics";

/** Which calendar event a booking message updates, and with which SEQUENCE. */
export type BookingCalendar = { bookingId: string; sequence: number };

/**
 * A reschedule writes a new booking row pointing at the old one (rescheduled_from_id), so the chain's
 * first booking names the event and each move is one SEQUENCE higher; the cancellation comes after
 * the last move, so it is one higher still and the calendar accepts it over every earlier file.
 */
export function bookingCalendar(chain: { rootId: string; moves: number }, cancelled: boolean): BookingCalendar {
  return { bookingId: chain.rootId, sequence: chain.moves + (cancelled ? 1 : 0) };
}

export function bookingUid(bookingId: string): string {
  return `${bookingId}@yuyue`;
}

export function buildBookingIcs(input: BookingIcsInput): string {
  if (input.endsAt.getTime() <= input.startsAt.getTime()) throw new Error("ICS event must end after it starts");
  const method = input.cancelled ? "CANCEL" : "REQUEST";
  // `timestamp` (DTSTAMP) is accepted by ics 3.12's schema but missing from its typings.
  const attributes: EventAttributes & { timestamp: number } = {
    productId: "-//Yuyue//Booking//EN",
    method,
    uid: bookingUid(input.bookingId),
    sequence: input.sequence ?? 0,
    status: input.cancelled ? "CANCELLED" : "CONFIRMED",
    timestamp: input.stampedAt.getTime(),
    // Instants in, UTC out: DTSTART/DTEND end in Z, so no VTIMEZONE block is needed.
    start: input.startsAt.getTime(),
    startInputType: "utc",
    startOutputType: "utc",
    end: input.endsAt.getTime(),
    endInputType: "utc",
    endOutputType: "utc",
    title: input.summary,
    description: input.description,
    location: input.location,
    url: input.url,
    organizer: { name: input.organizer.name, email: input.organizer.email },
    attendees: input.attendee
      ? [{ name: input.attendee.name, email: input.attendee.email, rsvp: false, partstat: "ACCEPTED", role: "REQ-PARTICIPANT" }]
      : undefined,
    busyStatus: input.cancelled ? "FREE" : "BUSY",
  };
  const { error, value } = createEvent(attributes);
  if (error || value === null) throw new Error(`Cannot build ICS for booking ${input.bookingId}: ${error?.message ?? "no output"}`);
  return value;
}

/** The `.ics` as an email attachment (the channel base64-encodes it). */
export function bookingIcsAttachment(input: BookingIcsInput): Attachment {
  return { filename: ICS_FILENAME, content: buildBookingIcs(input), contentType: "text/calendar" };
}

/** "Yuyue <noreply@yuyue.local>" → { name: "Yuyue", email: "noreply@yuyue.local" } (MAIL_FROM as organizer). */
export function parseMailbox(mailbox: string): { name: string; email: string } {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(mailbox);
  if (match?.[2]) return { name: match[1]?.trim() || match[2].trim(), email: match[2].trim() };
  return { name: mailbox.trim(), email: mailbox.trim() };
}
