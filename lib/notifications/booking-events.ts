import "server-only";
import { eq, inArray } from "drizzle-orm";
import type { DbOrTx, Tx } from "@/db/client";
import { loadBookingRecord } from "@/db/booking-record";
import { bookings, users, type Booking, type Business, type Service, type Timeslot, type User } from "@/db/schema";
import { appUrl } from "@/lib/env";
import { bookingCalendar } from "./ics";
import { cancelPending, notify, notifyMany, type NotifyInput } from "./outbox";
import type { NotificationEvent } from "./templates";
import { maskPhone } from "@/lib/pii";

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
  const r = await loadBookingRecord(tx, eq(bookings.id, bookingId));
  if (!r) return null;
  return {
    booking: r.booking,
    customer: r.customer,
    serviceName: r.service.name,
    reminderOffsetsMin: r.service.reminderOffsetsMin,
    businessName: r.business.name,
    address: r.business.address,
    timezone: r.business.timezone,
    startsAt: r.slot.startsAt,
    endsAt: r.slot.endsAt,
    chain: await rescheduleChain(tx, r.booking),
  };
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

/** The staff copies of a booking change: one in-app message for each staff member. */
async function staffMessages(
  tx: Tx,
  event: Extract<NotificationEvent, `staff_${string}`>,
  f: BookingFactsRow,
  extra: Record<string, unknown>,
  key = `${event}:${f.booking.id}`,
): Promise<NotifyInput<NotificationEvent>[]> {
  const staff = await tx
    .select()
    .from(users)
    .where(inArray(users.role, ["staff", "admin"]));
  return staff.map((s) => ({
    userId: s.id,
    recipient: s,
    bookingId: f.booking.id,
    event,
    data: { ...baseData(f), ...extra } as never,
    key: `${key}:${s.id}`,
  }));
}

async function toStaff(...args: Parameters<typeof staffMessages>) {
  await notifyMany(args[0], await staffMessages(...args));
}

/** Reminders at each of the service's offsets before the start, skipping those already past. */
function reminders(f: BookingFactsRow, now = new Date()): NotifyInput<NotificationEvent>[] {
  return f.reminderOffsetsMin.flatMap((offset) => {
    const at = new Date(f.startsAt.getTime() - offset * 60_000);
    if (at <= now) return [];
    return [
      {
        userId: f.customer.id,
        recipient: f.customer,
        bookingId: f.booking.id,
        event: "reminder" as const,
        data: { ...baseData(f), hoursBefore: Math.max(1, Math.round(offset / 60)) },
        key: `reminder:${f.booking.id}:${offset}`,
        sendAfter: at,
      },
    ];
  });
}

/** The messages of a confirmed booking (confirmation or payment receipt, staff copies, reminders), written in two statements. */
async function confirmedMessages(tx: Tx, f: BookingFactsRow, paidFen?: number): Promise<void> {
  const bookingId = f.booking.id;
  const own: NotifyInput<NotificationEvent> =
    paidFen !== undefined
      ? {
          userId: f.customer.id,
          recipient: f.customer,
          bookingId,
          event: "payment_received",
          data: { ...baseData(f), amountFen: paidFen },
          key: `payment_received:${bookingId}`,
        }
      : {
          userId: f.customer.id,
          recipient: f.customer,
          bookingId,
          event: "booking_confirmed",
          data: baseData(f),
          key: `booking_confirmed:${bookingId}`,
        };
  const staff = await staffMessages(tx, "staff_new_booking", f, {
    customerPhone: f.customer.phone ? maskPhone(f.customer.phone) : undefined,
    amountFen: f.booking.amountDueFen,
  });
  await notifyMany(tx, [own, ...staff, ...reminders(f)]);
}

/** A new booking's messages, from the rows its transaction already holds (nothing is read back). */
export async function bookingCreated(
  tx: Tx,
  input: { booking: Booking; customer: User; service: Service; business: Business; slot: Pick<Timeslot, "startsAt" | "endsAt"> },
): Promise<void> {
  const { booking, customer, service, business, slot } = input;
  const f: BookingFactsRow = {
    booking,
    customer,
    serviceName: service.name,
    reminderOffsetsMin: service.reminderOffsetsMin,
    businessName: business.name,
    address: business.address,
    timezone: business.timezone,
    startsAt: slot.startsAt,
    endsAt: slot.endsAt,
    // A booking made afresh starts its own chain; a rescheduled one goes through bookingRescheduled.
    chain: booking.rescheduledFromId ? await rescheduleChain(tx, booking) : { rootId: booking.id, moves: 0 },
  };
  if (booking.status === "confirmed") return confirmedMessages(tx, f);
  await notify(tx, pendingPaymentMessage(f));
}

/** A booking became confirmed (free booking, or its payment arrived): confirmation, staff copy, reminders. */
export async function bookingConfirmed(tx: Tx, bookingId: string, paidFen?: number): Promise<void> {
  const f = await load(tx, bookingId);
  if (!f) return;
  await confirmedMessages(tx, f, paidFen);
}

function pendingPaymentMessage(f: BookingFactsRow): NotifyInput<"booking_pending_payment"> {
  const bookingId = f.booking.id;
  return {
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
  };
}

export async function bookingPendingPayment(tx: Tx, bookingId: string): Promise<void> {
  const f = await load(tx, bookingId);
  if (!f) return;
  await notify(tx, pendingPaymentMessage(f));
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
  if (f.booking.status === "confirmed") await notifyMany(tx, reminders(f));
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

/**
 * A waitlisted customer's offer, by every channel they take: the seat held for them until
 * `holdUntil`, with the link that pays it (a paid service's held booking) or accepts it (a free one).
 */
export async function waitlistOffered(
  tx: Tx,
  input: {
    entryId: string;
    booking: Booking | null;
    customer: User;
    service: Pick<Service, "name">;
    business: Pick<Business, "name" | "address" | "timezone">;
    slot: Pick<Timeslot, "startsAt" | "endsAt">;
    holdUntil: Date;
  },
): Promise<void> {
  const { booking, customer, service, business, slot } = input;
  const payUrl = booking ? `${appUrl()}/bookings/${booking.id}/pay` : `${appUrl()}/me/waitlist/${input.entryId}`;
  await notify(tx, {
    userId: customer.id,
    recipient: customer,
    bookingId: booking?.id ?? null,
    event: "waitlist_offer",
    data: {
      // A free offer has no booking yet: its reference is the entry's.
      bookingCode: booking?.code ?? input.entryId.slice(0, 8).toUpperCase(),
      customerName: customer.name,
      serviceName: service.name,
      businessName: business.name,
      address: business.address ?? undefined,
      startsAt: slot.startsAt.toISOString(),
      endsAt: slot.endsAt.toISOString(),
      timezone: business.timezone,
      amountFen: booking ? booking.amountDueFen : undefined,
      payUrl,
      payBy: input.holdUntil.toISOString(),
    },
    key: `waitlist_offer:${input.entryId}`,
  });
}
