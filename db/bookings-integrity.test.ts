import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, type Db } from "./client";
import { bookings, payments, schedules, type Booking } from "./schema";
import { pgErrorCode } from "@/lib/errors";
import { setupTestDb, uniq } from "@/tests/db";
import { ensureBusiness, makeCustomer, makeService, makeSlot } from "@/tests/fixtures";

setupTestDb();

/** A bare confirmed booking row (no outbox, no payments), so a test may delete it. */
async function insertBooking(db: Db, rescheduledFromId: string | null = null): Promise<Booking> {
  const [business, customer, service] = await Promise.all([ensureBusiness(db), makeCustomer(db), makeService(db)]);
  const slot = await makeSlot(db, service);
  const [row] = await db
    .insert(bookings)
    .values({
      code: uniq("B").slice(0, 16),
      businessId: business.id,
      serviceId: service.id,
      timeslotId: slot.id,
      customerId: customer.id,
      status: "confirmed",
      priceFen: 0,
      amountDueFen: 0,
      rescheduledFromId,
    })
    .returning();
  return row!;
}

const LONG_AGO = new Date("2020-01-01T00:00:00Z");

describe("bookings.rescheduled_from_id foreign key", () => {
  it("refuses a link to a booking that does not exist, on insert and on update", async () => {
    const db = getDb();
    const missing = crypto.randomUUID();
    const insert = await insertBooking(db, missing).then(
      () => "inserted",
      (e: unknown) => pgErrorCode(e),
    );
    expect(insert).toBe("23503");
    const booking = await insertBooking(db);
    const update = await db
      .update(bookings)
      .set({ rescheduledFromId: missing })
      .where(eq(bookings.id, booking.id))
      .then(
        () => "updated",
        (e: unknown) => pgErrorCode(e),
      );
    expect(update).toBe("23503");
  });

  it("keeps the successor when the booking it replaced is deleted: the link is cleared", async () => {
    const db = getDb();
    const original = await insertBooking(db);
    const successor = await insertBooking(db, original.id);
    const untouched = await insertBooking(db);
    await db.delete(bookings).where(eq(bookings.id, original.id));
    const [after] = await db.select().from(bookings).where(eq(bookings.id, successor.id));
    expect(after).toMatchObject({ id: successor.id, status: "confirmed", rescheduledFromId: null });
    const [other] = await db.select().from(bookings).where(eq(bookings.id, untouched.id));
    expect(other?.id).toBe(untouched.id);
  });
});

describe("updatedAt through $onUpdate", () => {
  it("is stamped by every drizzle update and upsert without being set by hand", async () => {
    const db = getDb();
    const booking = await insertBooking(db);
    const [payment] = await db
      .insert(payments)
      .values({ bookingId: booking.id, provider: "sandbox", outTradeNo: uniq("T"), amountFen: 100 })
      .returning();
    const service = await makeService(db);
    await db.insert(schedules).values({ serviceId: service.id, weeklyHours: {} });
    // Backdate with raw SQL, which $onUpdate does not reach.
    await db.execute(sql`update ${bookings} set updated_at = ${LONG_AGO.toISOString()} where id = ${booking.id}`);
    await db.execute(sql`update ${payments} set updated_at = ${LONG_AGO.toISOString()} where id = ${payment!.id}`);
    await db.execute(sql`update ${schedules} set updated_at = ${LONG_AGO.toISOString()} where service_id = ${service.id}`);
    const [stale] = await db.select().from(bookings).where(eq(bookings.id, booking.id));
    expect(stale!.updatedAt.getTime()).toBe(LONG_AGO.getTime());

    const before = Date.now() - 5_000;
    const [b] = await db.update(bookings).set({ cancelReason: "x" }).where(eq(bookings.id, booking.id)).returning();
    const [p] = await db.update(payments).set({ status: "closed" }).where(eq(payments.id, payment!.id)).returning();
    const [s] = await db
      .insert(schedules)
      .values({ serviceId: service.id, weeklyHours: {} })
      .onConflictDoUpdate({ target: schedules.serviceId, set: { weeklyHours: {} } })
      .returning();
    for (const row of [b, p, s]) {
      expect(row!.updatedAt.getTime()).toBeGreaterThan(before);
      expect(row!.updatedAt.getTime()).toBeLessThanOrEqual(Date.now() + 1_000);
    }
  });
});
