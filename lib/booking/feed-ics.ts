import "server-only";
import { aliasedTable, and, asc, eq, gte, ne, notExists } from "drizzle-orm";
import { createEvents, type EventAttributes } from "ics";
import type { Db } from "@/db/client";
import { bookings, businesses, services, timeslots, users, type CalendarFeed } from "@/db/schema";
import { appUrl } from "@/lib/env";
import { rescheduleChain } from "@/lib/notifications/booking-events";
import { bookingCalendar, bookingUid } from "@/lib/notifications/ics";
import { staffBookingsOf } from "./staff-bookings";

/** How far back a feed reaches: calendars keep what they already have, the feed stays small. */
const PAST_DAYS = 60;
const MAX_EVENTS = 1000;
const successor = aliasedTable(bookings, "successor");

/**
 * A feed's bookings as one iCalendar (METHOD:PUBLISH) for Apple, Google and Outlook subscriptions.
 * Each booking is one event whose UID is its reschedule chain's first booking (the same UID as the
 * emailed invitations), so a reschedule moves the event: the moved-away row is left out, the new one
 * carries a higher SEQUENCE and its own LAST-MODIFIED. A cancelled booking stays as STATUS:CANCELLED.
 */
export async function buildFeedIcs(db: Db, feed: CalendarFeed, now = new Date()): Promise<string | null> {
  const [owner] = await db.select({ role: users.role, name: users.name }).from(users).where(eq(users.id, feed.userId));
  // A staff feed ends with the owner's staff role.
  if (!owner || (feed.scope === "staff" && owner.role === "customer")) return null;
  const whose = feed.scope === "staff" ? staffBookingsOf(db, feed.userId) : eq(bookings.customerId, feed.userId);
  const rows = await db
    .select({ booking: bookings, slot: timeslots, service: services, business: businesses, customerName: users.name })
    .from(bookings)
    .innerJoin(timeslots, eq(timeslots.id, bookings.timeslotId))
    .innerJoin(services, eq(services.id, bookings.serviceId))
    .innerJoin(businesses, eq(businesses.id, bookings.businessId))
    .innerJoin(users, eq(users.id, bookings.customerId))
    .where(
      and(
        whose,
        ne(bookings.status, "expired"),
        gte(timeslots.startsAt, new Date(now.getTime() - PAST_DAYS * 86_400_000)),
        notExists(db.select({ id: successor.id }).from(successor).where(eq(successor.rescheduledFromId, bookings.id))),
      ),
    )
    .orderBy(asc(timeslots.startsAt))
    .limit(MAX_EVENTS);
  const events: EventAttributes[] = [];
  for (const r of rows) {
    const cancelled = r.booking.status === "cancelled";
    const calendar = bookingCalendar(await rescheduleChain(db, r.booking), cancelled);
    const stamp = r.booking.updatedAt.getTime();
    // `timestamp` (DTSTAMP) is accepted by ics 3.12's schema but missing from its typings.
    const event: EventAttributes & { timestamp: number } = {
      uid: bookingUid(calendar.bookingId),
      sequence: calendar.sequence,
      status: cancelled ? "CANCELLED" : r.booking.status === "pending_payment" ? "TENTATIVE" : "CONFIRMED",
      timestamp: stamp,
      lastModified: stamp,
      start: r.slot.startsAt.getTime(),
      startInputType: "utc",
      startOutputType: "utc",
      end: r.slot.endsAt.getTime(),
      endInputType: "utc",
      endOutputType: "utc",
      title: feed.scope === "staff" ? `${r.service.name} · ${r.customerName}` : `${r.service.name} · ${r.business.name}`,
      description: r.booking.code,
      location: r.business.address ?? undefined,
      url: feed.scope === "staff" ? `${appUrl()}/dashboard/bookings/${r.booking.id}` : `${appUrl()}/bookings/${r.booking.id}`,
      busyStatus: cancelled ? "FREE" : "BUSY",
    };
    events.push(event);
  }
  const { error, value } = createEvents(events, {
    productId: "-//Yuyue//Calendar feed//EN",
    method: "PUBLISH",
    calName: `Yuyue · ${owner.name}`,
  });
  if (error || value === null) throw new Error(`Cannot build the calendar feed ${feed.id}: ${error?.message ?? "no output"}`);
  return value;
}
