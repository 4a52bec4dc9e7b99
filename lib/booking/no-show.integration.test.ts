import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST as bookRoute } from "@/app/api/v1/bookings/route";
import { POST as forgiveRoute } from "@/app/api/v1/staff/bookings/[id]/forgive-no-show/route";
import { getDb } from "@/db/client";
import { auditLog, bookings, type Service, type User } from "@/db/schema";
import { issueApiToken } from "@/lib/auth/api-tokens";
import { setupTestDb } from "@/tests/db";
import { makeCustomer, makeService, makeSlot } from "@/tests/fixtures";
import { callRoute } from "@/tests/routes";
import { createBooking } from "./create-booking";
import { markNoShows, noShowFacts } from "./no-show";

setupTestDb();

const MIN = 60_000;
const rules = { minNoticeMin: 0, maxAdvanceDays: 3650, noShowAfterMinutes: 15, noShowRefuseAfter: 2, noShowWindowDays: 90 };

/** A confirmed booking of `service` in a slot that started `startedMinAgo` minutes ago (booked an hour before it). */
async function pastBooking(service: Service, customer: User, startedMinAgo: number) {
  const startsAt = new Date(Date.now() - startedMinAgo * MIN);
  startsAt.setSeconds(0, 0);
  const slot = await makeSlot(getDb(), service, { startsAt });
  return createBooking({ customerId: customer.id, timeslotId: slot.id, now: new Date(startsAt.getTime() - 60 * MIN) });
}

const status = async (id: string) => (await getDb().select().from(bookings).where(eq(bookings.id, id)))[0]!;

describe("no-shows", () => {
  it("the job marks bookings not checked in N minutes after start; two recent ones refuse a booking; forgiving one lifts it", async () => {
    const db = getDb();
    const service = await makeService(db, { rules });
    const customer = await makeCustomer(db);
    const twoHours = await pastBooking(service, customer, 120);
    const lastMonth = await pastBooking(service, customer, 30 * 24 * 60 - 30);
    const tooSoon = await pastBooking(service, customer, 5);
    const came = await pastBooking(service, customer, 90);
    await db
      .update(bookings)
      .set({ checkedInAt: new Date(Date.now() - 80 * MIN) })
      .where(eq(bookings.id, came.id));

    const now = new Date();
    const marked = await markNoShows(now);
    expect(marked).toContain(twoHours.id);
    expect(marked).not.toContain(tooSoon.id);
    expect(marked).not.toContain(came.id);
    expect((await status(twoHours.id)).status).toBe("no_show");
    expect((await status(tooSoon.id)).status).toBe("confirmed");
    expect((await status(came.id)).status).toBe("confirmed");
    // A month old is past the job's two-day look-back: staff marked that one by hand.
    expect((await status(lastMonth.id)).status).toBe("confirmed");
    await db.update(bookings).set({ status: "no_show" }).where(eq(bookings.id, lastMonth.id));
    const [trail] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, twoHours.id), eq(auditLog.action, "booking.no_show")));
    expect(trail).toMatchObject({ actorLabel: "system", reason: "not checked in" });
    // Once is enough: a second run changes nothing; 20 minutes on, the recent one is marked.
    expect(await markNoShows(now)).not.toContain(twoHours.id);
    expect(await markNoShows(new Date(now.getTime() + 11 * MIN))).toContain(tooSoon.id);
    expect(await noShowFacts(db, customer.id, now, 90)).toEqual({ noShowCount: 3, recentNoShows: 3 });
    expect(await noShowFacts(db, customer.id, now, 1)).toEqual({ noShowCount: 3, recentNoShows: 2 });

    const token = (await issueApiToken(customer.id)).token;
    const future = await makeSlot(db, service);
    const book = () => callRoute(bookRoute, { path: "/api/v1/bookings", ip: "10.79.0.1", token, body: { timeslotId: future.id } });
    const refused = await book();
    expect(refused.status).toBe(422);
    const body = (await refused.json()) as { error: { code: string; message: string; details: { violations: { rule: string }[] } } };
    expect(body.error.code).toBe("RULE_VIOLATION");
    expect(body.error.details.violations.map((v) => v.rule)).toEqual(["repeat_no_show"]);
    expect(body.error.message).toContain("90 天内有 3 次预约未到店");

    // Staff forgive two (audited); a customer cannot.
    const staff = await makeCustomer(db, { role: "staff" });
    const staffToken = (await issueApiToken(staff.id)).token;
    const forgive = (id: string, t: string) =>
      callRoute(forgiveRoute, {
        path: `/api/v1/staff/bookings/${id}/forgive-no-show`,
        ip: "10.79.0.2",
        token: t,
        body: { reason: "堵车" },
        params: { id },
      });
    expect((await forgive(twoHours.id, token)).status).toBe(403);
    expect((await forgive(came.id, staffToken)).status).toBe(409);
    expect((await forgive(twoHours.id, staffToken)).status).toBe(200);
    expect((await forgive(tooSoon.id, staffToken)).status).toBe(200);
    expect((await status(twoHours.id)).noShowForgivenAt).not.toBeNull();
    const [forgiven] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, twoHours.id), eq(auditLog.action, "booking.no_show_forgiven")));
    expect(forgiven).toMatchObject({ actorId: staff.id, reason: "堵车" });
    expect(await noShowFacts(db, customer.id, now, 90)).toEqual({ noShowCount: 1, recentNoShows: 1 });
    expect((await book()).status).toBe(201);
  });

  it("repeat no-shows owe the full price up front when the policy says so", async () => {
    const db = getDb();
    const service = await makeService(db, {
      priceFen: 10000,
      depositFen: 2000,
      rules: { ...rules, noShowRefuseAfter: null, noShowPrepayAfter: 1 },
    });
    const missed = await makeCustomer(db);
    const clean = await makeCustomer(db);
    const past = await pastBooking(service, missed, 60);
    // An unpaid past booking staff recorded as a no-show.
    await db.update(bookings).set({ status: "no_show" }).where(eq(bookings.id, past.id));
    const a = await createBooking({ customerId: missed.id, timeslotId: (await makeSlot(db, service)).id });
    const b = await createBooking({ customerId: clean.id, timeslotId: (await makeSlot(db, service)).id });
    expect(a.amountDueFen).toBe(10000);
    expect(b.amountDueFen).toBe(2000);
  });
});
