import "server-only";
import type { Db } from "@/db/client";
import { env, appUrl } from "@/lib/env";
import { rescheduleChain } from "@/lib/notifications/booking-events";
import { bookingCalendar, buildBookingIcs, parseMailbox } from "@/lib/notifications/ics";
import type { Actor } from "@/lib/auth/actor";
import { loadOwnBooking } from "./cancel-booking";
import { loadSlotContext } from "./context";

/**
 * The booking as a calendar file for "add to calendar". It carries the same UID and SEQUENCE as the
 * invitations the emails attach, so importing it after an email (or the other way round) updates one
 * event instead of adding a second; a cancelled booking's file removes the event.
 */
export async function bookingIcsFile(db: Db, bookingId: string, actor: Actor): Promise<string> {
  const booking = await loadOwnBooking(db, bookingId, actor);
  const ctx = await loadSlotContext(db, booking.timeslotId);
  const cancelled = booking.status === "cancelled" || booking.status === "expired";
  const calendar = bookingCalendar(await rescheduleChain(db, booking), cancelled);
  return buildBookingIcs({
    bookingId: calendar.bookingId,
    sequence: calendar.sequence,
    startsAt: ctx.slot.startsAt,
    endsAt: ctx.slot.endsAt,
    summary: `${ctx.service.name} · ${ctx.business.name}`,
    description: booking.code,
    location: ctx.business.address ?? undefined,
    url: `${appUrl()}/bookings/${booking.id}`,
    organizer: parseMailbox(env.MAIL_FROM),
    cancelled,
    stampedAt: booking.updatedAt,
  });
}
