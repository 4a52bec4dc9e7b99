import "server-only";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { bookings, invoiceRequests, payments, services, users, type InvoiceRequest } from "@/db/schema";
import { audit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";
import { isStaff } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import type { InvoiceRequestInput } from "@/lib/validations/invoice";

/**
 * Fapiao (发票) requests: a customer asks for an invoice title (and tax number for a company) on
 * what they paid for a booking; staff issue it outside Yuyue and record its number. One request
 * per booking, editable until issued.
 */
async function ownBooking(db: Db, bookingId: string, actor: Actor) {
  const [booking] = await db.select().from(bookings).where(eq(bookings.id, bookingId));
  if (!booking || (!isStaff(actor.role) && booking.customerId !== actor.id)) throw new AppError("NOT_FOUND", "bookingNotFound");
  return booking;
}

/** What was paid for the booking and not refunded, fen. */
async function paidFen(db: Db, bookingId: string): Promise<number> {
  const [row] = await db
    .select({ fen: sql<number>`coalesce(sum(${payments.amountFen} - ${payments.refundedFen}), 0)::int` })
    .from(payments)
    .where(and(eq(payments.bookingId, bookingId), inArray(payments.status, ["paid", "partially_refunded", "refunded"])));
  return Number(row?.fen ?? 0);
}

/** For the booking page: what could be invoiced and the request so far. */
export async function invoicePanel(db: Db, bookingId: string, actor: Actor) {
  const [invoice, amountFen] = await Promise.all([invoiceRequestOf(db, bookingId, actor), paidFen(db, bookingId)]);
  return { invoice, amountFen };
}

export async function invoiceRequestOf(db: Db, bookingId: string, actor: Actor): Promise<InvoiceRequest | null> {
  await ownBooking(db, bookingId, actor);
  const [row] = await db.select().from(invoiceRequests).where(eq(invoiceRequests.bookingId, bookingId));
  return row ?? null;
}

export async function requestInvoice(db: Db, bookingId: string, actor: Actor, input: InvoiceRequestInput): Promise<InvoiceRequest> {
  await ownBooking(db, bookingId, actor);
  const amountFen = await paidFen(db, bookingId);
  if (amountFen <= 0) throw new AppError("CONFLICT", "invoiceNothingPaid");
  const fields = {
    kind: input.kind,
    title: input.title,
    taxNo: input.kind === "company" ? (input.taxNo ?? null) : null,
    email: input.email ?? null,
    amountFen,
  };
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(invoiceRequests)
      .values({ bookingId, requestedBy: actor.id, ...fields })
      .onConflictDoUpdate({ target: invoiceRequests.bookingId, set: fields, setWhere: eq(invoiceRequests.status, "requested") })
      .returning();
    if (!row) throw new AppError("CONFLICT", "invoiceAlreadyIssued");
    await audit(tx, {
      actorId: actor.id,
      action: "invoice.requested",
      entityType: "booking",
      entityId: bookingId,
      data: { kind: fields.kind, amountFen },
    });
    return row;
  });
}

/** Staff: the requests, waiting ones first, with the booking and customer they belong to. */
export function listInvoiceRequests(db: Db, limit = 100) {
  return db
    .select({
      invoice: invoiceRequests,
      bookingCode: bookings.code,
      customerName: users.name,
      serviceName: services.name,
    })
    .from(invoiceRequests)
    .innerJoin(bookings, eq(bookings.id, invoiceRequests.bookingId))
    .innerJoin(users, eq(users.id, bookings.customerId))
    .innerJoin(services, eq(services.id, bookings.serviceId))
    .orderBy(desc(sql`${invoiceRequests.status} = 'requested'`), desc(invoiceRequests.createdAt))
    .limit(limit);
}

export async function markInvoiceIssued(db: Db, invoiceId: string, actorId: string, invoiceNo: string): Promise<InvoiceRequest> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(invoiceRequests)
      .set({ status: "issued", invoiceNo, issuedBy: actorId, issuedAt: new Date() })
      .where(and(eq(invoiceRequests.id, invoiceId), eq(invoiceRequests.status, "requested")))
      .returning();
    if (!row) {
      const [exists] = await tx.select({ id: invoiceRequests.id }).from(invoiceRequests).where(eq(invoiceRequests.id, invoiceId));
      throw exists ? new AppError("CONFLICT", "invoiceAlreadyIssued") : new AppError("NOT_FOUND", "invoiceNotFound");
    }
    await audit(tx, { actorId, action: "invoice.issued", entityType: "booking", entityId: row.bookingId, data: { invoiceNo } });
    return row;
  });
}
