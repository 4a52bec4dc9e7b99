import "server-only";
import { and, asc, desc, eq, gt, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { qualified } from "@/db/sql";
import {
  auditLog,
  bookings,
  notificationDeliveries,
  notifications,
  payments,
  refunds,
  services,
  timeslots,
  users,
  type AuditEntry,
  type Notification,
  type Payment,
  type Refund,
  type Service,
  type User,
} from "@/db/schema";
import { paidFen, quoteCancellation } from "@/lib/booking/cancel-booking";
import { activeStatuses } from "@/lib/booking/dto";
import { parseFieldDefinitions, type FieldDefinition } from "@/lib/booking/fields";
import { AppError } from "@/lib/errors";
import { withMoneyStatus } from "./money-facts";
import { bookingRowsQuery, type MoneyRow } from "./staff-queries";

export type AuditView = AuditEntry & { actorName: string | null };
export type NotificationView = Notification & { deliveries: number };

export type BookingDetail = {
  booking: MoneyRow & {
    fields: Record<string, unknown>;
    holdExpiresAt: Date | null;
    cancelReason: string | null;
    rescheduledFromId: string | null;
    createdBy: string | null;
  };
  customer: Pick<User, "id" | "name" | "phone" | "email" | "groups">;
  fields: FieldDefinition[];
  payments: Payment[];
  refunds: Refund[];
  notifications: NotificationView[];
  audit: AuditView[];
  /** What a cancellation now would refund under the policy tiers; null for a booking that is no longer active. */
  quote: { percent: number; refundFen: number; paidFen: number; deadline: Date; allowedForCustomer: boolean } | null;
  /** Paid and not yet refunded (nor being refunded): the most a manual refund can return. */
  refundableFen: number;
  /** Open slots of the same service a staff member may move the booking to. */
  rescheduleOptions: { id: string; startsAt: Date; remaining: number }[];
};

function safeFields(raw: Service["fields"]): FieldDefinition[] {
  try {
    return parseFieldDefinitions(raw);
  } catch {
    return [];
  }
}

export async function auditTrail(db: Db, entityType: string, entityIds: string[]): Promise<AuditView[]> {
  if (entityIds.length === 0) return [];
  const rows = await db
    .select({ entry: auditLog, actorName: users.name })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(eq(auditLog.entityType, entityType), inArray(auditLog.entityId, entityIds)))
    .orderBy(asc(auditLog.createdAt));
  return rows.map((r) => ({ ...r.entry, actorName: r.actorName }));
}

/** Everything the booking page shows, for staff: no ownership filter, the caller has checked the role. */
export async function getBookingDetail(db: Db, bookingId: string, now = new Date()): Promise<BookingDetail> {
  const [row] = await db
    .select({ booking: bookings, customer: users, serviceFields: services.fields })
    .from(bookings)
    .innerJoin(users, eq(users.id, bookings.customerId))
    .innerJoin(services, eq(services.id, bookings.serviceId))
    .where(eq(bookings.id, bookingId))
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND", "bookingNotFound");
  const [listRow] = await withMoneyStatus(db, await bookingRowsQuery(db).where(eq(bookings.id, bookingId)));
  if (!listRow) throw new AppError("NOT_FOUND", "bookingNotFound");
  const b = row.booking;

  const paymentRows = await db.select().from(payments).where(eq(payments.bookingId, b.id)).orderBy(asc(payments.createdAt));
  const refundRows = await db.select().from(refunds).where(eq(refunds.bookingId, b.id)).orderBy(asc(refunds.createdAt));
  const notes = await db
    .select({
      n: notifications,
      deliveries: sql<number>`(select count(*) from ${notificationDeliveries} d where d.notification_id = ${qualified(notifications.id)})::int`,
    })
    .from(notifications)
    .where(eq(notifications.bookingId, b.id))
    .orderBy(desc(notifications.createdAt));
  // A rescheduled booking's history includes the booking it replaced.
  const trail = await auditTrail(db, "booking", [b.id, ...(b.rescheduledFromId ? [b.rescheduledFromId] : [])]);
  const paymentTrail = await auditTrail(
    db,
    "payment",
    paymentRows.map((p) => p.id),
  );

  const active = (activeStatuses as readonly string[]).includes(b.status);
  let quote: BookingDetail["quote"] = null;
  let rescheduleOptions: BookingDetail["rescheduleOptions"] = [];
  if (active) {
    // What a staff cancellation (the business cancelling) would refund; allowedForCustomer still tells the customer's deadline.
    const q = await quoteCancellation(db, b, now, "business");
    quote = {
      percent: q.refund.percent,
      refundFen: q.refund.amountFen,
      paidFen: await paidFen(db, b.id),
      deadline: q.deadline,
      allowedForCustomer: q.allowed,
    };
    const slots = await db
      .select({ id: timeslots.id, startsAt: timeslots.startsAt, capacity: timeslots.capacity, bookedCount: timeslots.bookedCount })
      .from(timeslots)
      .where(
        and(
          eq(timeslots.serviceId, b.serviceId),
          eq(timeslots.status, "open"),
          gt(timeslots.startsAt, now),
          sql`${timeslots.bookedCount} + ${b.seats} <= ${timeslots.capacity}`,
        ),
      )
      .orderBy(asc(timeslots.startsAt))
      .limit(60);
    rescheduleOptions = slots
      .filter((s) => s.id !== b.timeslotId)
      .map((s) => ({ id: s.id, startsAt: s.startsAt, remaining: s.capacity - s.bookedCount }));
  }
  const refundableFen = paymentRows
    .filter((p) => p.status === "paid" || p.status === "partially_refunded")
    .reduce((sum, p) => {
      const pending = refundRows
        .filter((r) => r.paymentId === p.id && (r.status === "pending" || r.status === "abnormal"))
        .reduce((s, r) => s + r.amountFen, 0);
      return sum + Math.max(0, p.amountFen - p.refundedFen - pending);
    }, 0);
  return {
    refundableFen,
    booking: {
      ...listRow,
      fields: b.fields,
      holdExpiresAt: b.holdExpiresAt,
      cancelReason: b.cancelReason,
      rescheduledFromId: b.rescheduledFromId,
      createdBy: b.createdBy,
    },
    customer: {
      id: row.customer.id,
      name: row.customer.name,
      phone: row.customer.phone,
      email: row.customer.email,
      groups: row.customer.groups,
    },
    fields: safeFields(row.serviceFields),
    payments: paymentRows,
    refunds: refundRows,
    notifications: notes.map((n) => ({ ...n.n, deliveries: Number(n.deliveries) })),
    audit: [...trail, ...paymentTrail].sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime()),
    quote,
    rescheduleOptions,
  };
}
