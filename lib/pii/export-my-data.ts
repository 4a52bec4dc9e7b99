import "server-only";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { bookings, notifications, payments, refunds, services, timeslots, users } from "@/db/schema";
import { AppError } from "@/lib/errors";

/**
 * Everything the service keeps about one person, for them to take away (PIPL art. 45): the profile,
 * their bookings with the form answers, the payments and refunds of those bookings, and the
 * messages sent to them. Decrypted (it is their own data), only ever for the signed-in owner.
 */
export async function exportMyData(db: DbOrTx, userId: string, now = new Date()) {
  const [u] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!u || u.deletedAt) throw new AppError("NOT_FOUND", "accountNotFound");
  const booked = await db
    .select({ b: bookings, service: services.name, startsAt: timeslots.startsAt, endsAt: timeslots.endsAt })
    .from(bookings)
    .innerJoin(services, eq(services.id, bookings.serviceId))
    .innerJoin(timeslots, eq(timeslots.id, bookings.timeslotId))
    .where(eq(bookings.customerId, userId))
    .orderBy(asc(bookings.createdAt));
  const bookingIds = booked.map((r) => r.b.id);
  const paid = bookingIds.length
    ? await db.select().from(payments).where(inArray(payments.bookingId, bookingIds)).orderBy(asc(payments.createdAt))
    : [];
  const paymentIds = paid.map((p) => p.id);
  const refunded = paymentIds.length ? await db.select().from(refunds).where(inArray(refunds.paymentId, paymentIds)) : [];
  const messages = await db
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, userId)))
    .orderBy(asc(notifications.createdAt));
  return {
    exportedAt: now.toISOString(),
    profile: {
      id: u.id,
      name: u.name,
      email: u.email,
      phone: u.phone,
      phoneVerifiedAt: u.phoneVerifiedAt?.toISOString() ?? null,
      role: u.role,
      locale: u.locale,
      groups: u.groups,
      notificationPrefs: u.notificationPrefs,
      wechatLinked: Boolean(u.wechatOpenid || u.wechatUnionid),
      privacyConsent: u.privacyConsentVersion ? { version: u.privacyConsentVersion, at: u.privacyConsentAt?.toISOString() ?? null } : null,
      createdAt: u.createdAt.toISOString(),
    },
    bookings: booked.map(({ b, service, startsAt, endsAt }) => ({
      id: b.id,
      code: b.code,
      service,
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      seats: b.seats,
      status: b.status,
      priceFen: b.priceFen,
      fields: b.fields,
      checkedInAt: b.checkedInAt?.toISOString() ?? null,
      cancelledAt: b.cancelledAt?.toISOString() ?? null,
      createdAt: b.createdAt.toISOString(),
    })),
    payments: paid.map((p) => ({
      id: p.id,
      bookingId: p.bookingId,
      gateway: p.gateway,
      amountFen: p.amountFen,
      refundedFen: p.refundedFen,
      status: p.status,
      paidAt: p.paidAt?.toISOString() ?? null,
      createdAt: p.createdAt.toISOString(),
      refunds: refunded
        .filter((r) => r.paymentId === p.id)
        .map((r) => ({ id: r.id, amountFen: r.amountFen, status: r.status, createdAt: r.createdAt.toISOString() })),
    })),
    messages: messages.map((n) => ({
      id: n.id,
      channel: n.channel,
      type: n.type,
      title: n.title,
      body: n.body,
      status: n.status,
      sentAt: n.sentAt?.toISOString() ?? null,
      readAt: n.readAt?.toISOString() ?? null,
      createdAt: n.createdAt.toISOString(),
    })),
  };
}

export type MyDataExport = Awaited<ReturnType<typeof exportMyData>>;
