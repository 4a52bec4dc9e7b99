import "server-only";
import { eq, inArray } from "drizzle-orm";
import type { DbOrTx, Tx } from "@/db/client";
import { bookings, businesses, services, timeslots, users, type Booking } from "@/db/schema";
import { appUrl } from "@/lib/env";
import { bookingCalendar } from "./ics";
import { cancelPending, notify } from "./outbox";
import type { NotificationEvent } from "./templates";

type BookingFactsRow = {
  booking: Booking;
  customer: typeof users.$inferSelect;
  serviceName: string;
  businessName: string;
  address: string | null;
  timezone: string;
  startsAt: Date;
  endsAt: Date;
  reminderOffsetsMin: number[];
  chain: RescheduleChain;
};
type RescheduleChain = { rootId: string; moves: number };

/** The first booking of a reschedule chain and how many moves lead from it to this one. */
export async function rescheduleChain(tx: DbOrTx, booking: Pick<Booking, "id" | "rescheduledFromId">): Promise<RescheduleChain> {
  let rootId = booking.id;
  let moves = 0;
  let fromId = booking.rescheduledFromId;
  while (fromId) {
    const [prev] = await tx
      .select({ id: bookings.id, fromId: bookings.rescheduledFromId })
      .from(bookings)
      .where(eq(bookings.id, fromId))
      .limit(1);
    if (!prev) break;
    rootId = prev.id;
    moves++;
    fromId = prev.fromId;
  }
  return { rootId, moves };
}

async function load(tx: Tx, bookingId: string): Promise<BookingFactsRow | null> {
  const [row] = await tx
    .select({
      booking: bookings,
      customer: users,
      serviceName: services.name,
      reminderOffsetsMin: services.reminderOffsetsMin,
      businessName: businesses.name,
      address: businesses.address,
      timezone: businesses.timezone,
      startsAt: timeslots.startsAt,
      endsAt: timeslots.endsAt,
    })
    .from(bookings)
    .innerJoin(users, eq(users.id, bookings.customerId))
    .innerJoin(services, eq(services.id, bookings.serviceId))
    .innerJoin(businesses, eq(businesses.id, bookings.businessId))
    .innerJoin(timeslots, eq(timeslots.id, bookings.timeslotId))
    .where(eq(bookings.id, bookingId))
    .limit(1);
  return row ? { ...row, chain: await rescheduleChain(tx, row.booking) } : null;
}

function baseData(f: BookingFactsRow, opts: { cancelled?: boolean } = {}) {
  return {
    bookingCode: f.booking.code,
    customerName: f.customer.name,
    serviceName: f.serviceName,
    businessName: f.businessName,
    address: f.address ?? undefined,
    startsAt: f.startsAt.toISOString(),
    endsAt: f.endsAt.toISOString(),
    timezone: f.timezone,
    manageUrl: `${appUrl()}/bookings/${f.booking.id}`,
    calendar: bookingCalendar(f.chain, opts.cancelled ?? false),
  };
}

async function toStaff(
  tx: Tx,
  event: Extract<NotificationEvent, `staff_${string}`>,
  f: BookingFactsRow,
  extra: Record<string, unknown>,
  key = `${event}:${f.booking.id}`,
) {
  const staff = await tx
    .select()
    .from(users)
    .where(inArray(users.role, ["staff", "admin"]));
  for (const s of staff) {
    await notify(tx, {
      userId: s.id,
      recipient: s,
      bookingId: f.booking.id,
      event,
      data: { ...baseData(f), ...extra } as never,
      key: `${key}:${s.id}`,
    });
  }
}

/** Reminders at each of the service's offsets before the start, skipping those already past. */
async function scheduleReminders(tx: Tx, f: BookingFactsRow, now = new Date()) {
  for (const offset of f.reminderOffsetsMin) {
    const at = new Date(f.startsAt.getTime() - offset * 60_000);
    if (at <= now) continue;
    await notify(tx, {
      userId: f.customer.id,
      recipient: f.customer,
      bookingId: f.booking.id,
      event: "reminder",
      data: { ...baseData(f), hoursBefore: Math.max(1, Math.round(offset / 60)) },
      key: `reminder:${f.booking.id}:${offset}`,
      sendAfter: at,
    });
  }
}

/** A booking became confirmed (free booking, or its payment arrived): confirmation, staff copy, reminders. */
export async function bookingConfirmed(tx: Tx, bookingId: string, paidFen?: number): Promise<void> {
  const f = await load(tx, bookingId);
  if (!f) return;
  if (paidFen !== undefined) {
    await notify(tx, {
      userId: f.customer.id,
      recipient: f.customer,
      bookingId,
      event: "payment_received",
      data: { ...baseData(f), amountFen: paidFen },
      key: `payment_received:${bookingId}`,
    });
  } else {
    await notify(tx, {
      userId: f.customer.id,
      recipient: f.customer,
      bookingId,
      event: "booking_confirmed",
      data: baseData(f),
      key: `booking_confirmed:${bookingId}`,
    });
  }
  await toStaff(tx, "staff_new_booking", f, { customerPhone: f.customer.phone ?? undefined, amountFen: f.booking.amountDueFen });
  await scheduleReminders(tx, f);
}

export async function bookingPendingPayment(tx: Tx, bookingId: string): Promise<void> {
  const f = await load(tx, bookingId);
  if (!f) return;
  await notify(tx, {
    userId: f.customer.id,
    recipient: f.customer,
    bookingId,
    event: "booking_pending_payment",
    data: {
      ...baseData(f),
      amountFen: f.booking.amountDueFen,
      payUrl: `${appUrl()}/bookings/${bookingId}/pay`,
      payBy: f.booking.holdExpiresAt?.toISOString(),
    },
    key: `booking_pending_payment:${bookingId}`,
  });
}

export async function bookingCancelled(tx: Tx, bookingId: string, refundFen: number, reason?: string | null): Promise<void> {
  const f = await load(tx, bookingId);
  if (!f) return;
  await cancelPending(tx, bookingId, ["reminder"]);
  const extra = { refundFen, reason: reason ?? undefined };
  await notify(tx, {
    userId: f.customer.id,
    recipient: f.customer,
    bookingId,
    event: "booking_cancelled",
    data: { ...baseData(f, { cancelled: true }), ...extra },
    key: `booking_cancelled:${bookingId}`,
  });
  await toStaff(tx, "staff_booking_cancelled", f, extra);
}

export async function bookingRescheduled(tx: Tx, bookingId: string, previous: Booking, previousStartsAt: Date): Promise<void> {
  const f = await load(tx, bookingId);
  if (!f) return;
  await cancelPending(tx, previous.id, ["reminder"]);
  await notify(tx, {
    userId: f.customer.id,
    recipient: f.customer,
    bookingId,
    event: "booking_rescheduled",
    data: { ...baseData(f), previousStartsAt: previousStartsAt.toISOString() },
    key: `booking_rescheduled:${bookingId}`,
  });
  if (f.booking.status === "confirmed") await scheduleReminders(tx, f);
}

export async function holdExpired(tx: Tx, bookingId: string): Promise<void> {
  const f = await load(tx, bookingId);
  if (!f) return;
  await notify(tx, {
    userId: f.customer.id,
    recipient: f.customer,
    bookingId,
    event: "hold_expired",
    data: baseData(f),
    key: `hold_expired:${bookingId}`,
  });
}

export async function refundIssued(tx: Tx, bookingId: string, refundFen: number, refundId: string): Promise<void> {
  const f = await load(tx, bookingId);
  if (!f) return;
  await notify(tx, {
    userId: f.customer.id,
    recipient: f.customer,
    bookingId,
    event: "refund_issued",
    data: { ...baseData(f), refundFen },
    key: `refund_issued:${refundId}`,
  });
}

/**
 * A refund the gateway refused, closed or could not pay out: every staff member gets an in-app
 * message. `occurrence` tells repeated problems of one refund apart (each retry may fail again).
 */
export async function refundNeedsAttention(
  tx: Tx,
  bookingId: string,
  refund: { id: string; amountFen: number; problem: string; occurrence: string },
): Promise<void> {
  const f = await load(tx, bookingId);
  if (!f) return;
  await toStaff(
    tx,
    "staff_refund_problem",
    f,
    { refundFen: refund.amountFen, reason: refund.problem.slice(0, 200) },
    `staff_refund_problem:${refund.id}:${refund.occurrence}`,
  );
}
