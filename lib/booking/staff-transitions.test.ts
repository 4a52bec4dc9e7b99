import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, bookings, type Timeslot } from "@/db/schema";
import { setupTestDb } from "@/tests/db";
import { makeCustomer, makeService, makeSlot, codeOf } from "@/tests/fixtures";
import type { Actor } from "@/lib/auth/actor";
import { cancelBooking } from "./cancel-booking";
import { createBooking } from "./create-booking";
import { expireHolds } from "./expire-holds";
import { checkInBooking, checkInWindow, completeBooking, confirmBooking, markNoShow } from "./staff-transitions";

setupTestDb();

const HOUR = 3_600_000;

const failure = codeOf;

async function staff(): Promise<Actor> {
  const u = await makeCustomer(getDb(), { role: "staff" });
  return { id: u.id, role: "staff" };
}

/** A booking on a fresh slot, made an hour before the slot starts; paid services start pending_payment. */
async function booked(opts: { paid?: boolean } = {}): Promise<{ id: string; code: string; slot: Timeslot }> {
  const db = getDb();
  const service = await makeService(
    db,
    opts.paid ? { priceFen: 10000, rules: { minNoticeMin: 0, maxAdvanceDays: 3650, holdMinutes: 15 } } : {},
  );
  const slot = await makeSlot(db, service);
  const customer = await makeCustomer(db);
  const b = await createBooking({ customerId: customer.id, timeslotId: slot.id, now: new Date(slot.startsAt.getTime() - HOUR) });
  return { id: b.id, code: b.code, slot };
}

const row = async (id: string) => (await getDb().select().from(bookings).where(eq(bookings.id, id)))[0]!;
const trail = (id: string, action: string) =>
  getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityId, id), eq(auditLog.action, action)));

describe("confirm (paid offline)", () => {
  it("moves pending_payment to confirmed, drops the hold and audits the reason", async () => {
    const actor = await staff();
    const b = await booked({ paid: true });
    expect((await row(b.id)).status).toBe("pending_payment");
    expect(await failure(confirmBooking({ bookingId: b.id, actor, reason: "  " }))).toBe("VALIDATION_FAILED");
    const confirmed = await confirmBooking({ bookingId: b.id, actor, reason: "paid cash at the desk" });
    expect(confirmed).toMatchObject({ status: "confirmed", holdExpiresAt: null });
    const [entry] = await trail(b.id, "booking.confirmed");
    expect(entry).toMatchObject({ actorId: actor.id, reason: "paid cash at the desk", data: { from: "pending_payment", to: "confirmed" } });
    expect(await failure(confirmBooking({ bookingId: b.id, actor, reason: "again" }))).toBe("INVALID_STATE");
    expect(await trail(b.id, "booking.confirmed")).toHaveLength(1);
  });

  it("runs the after-write hook in the same transaction: a failing hook undoes the confirmation and its audit row", async () => {
    const actor = await staff();
    const b = await booked({ paid: true });
    const failing = async () => {
      throw new Error("outbox down");
    };
    await expect(confirmBooking({ bookingId: b.id, actor, reason: "cash" }, getDb(), failing)).rejects.toThrow("outbox down");
    expect((await row(b.id)).status).toBe("pending_payment");
    expect(await trail(b.id, "booking.confirmed")).toHaveLength(0);
    let seen = "";
    await confirmBooking({ bookingId: b.id, actor, reason: "cash" }, getDb(), async (_tx, booking) => {
      seen = booking.status;
    });
    expect(seen).toBe("confirmed");
  });

  it("cannot confirm a cancelled or expired booking", async () => {
    const actor = await staff();
    const cancelled = await booked({ paid: true });
    await cancelBooking({ bookingId: cancelled.id, actor, reason: "test" });
    expect(await failure(confirmBooking({ bookingId: cancelled.id, actor, reason: "x" }))).toBe("INVALID_STATE");
    const expired = await booked({ paid: true });
    await expireHolds(expired.slot.startsAt);
    expect((await row(expired.id)).status).toBe("expired");
    expect(await failure(confirmBooking({ bookingId: expired.id, actor, reason: "x" }))).toBe("INVALID_STATE");
  });
});

describe("check-in by code (核销)", () => {
  it("checks a confirmed booking in once, by its code in any case, near the start", async () => {
    const actor = await staff();
    const b = await booked();
    const now = new Date(b.slot.startsAt.getTime() - 30 * 60_000);
    const done = await checkInBooking({ code: ` ${b.code.toLowerCase()} `, actor, now });
    expect(done.checkedInAt?.getTime()).toBe(now.getTime());
    expect(done.status).toBe("confirmed");
    const [entry] = await trail(b.id, "booking.checked_in");
    expect(entry).toMatchObject({ actorId: actor.id, data: { from: "confirmed", code: b.code } });
    expect(await failure(checkInBooking({ code: b.code, actor, now }))).toBe("INVALID_STATE");
    expect(await trail(b.id, "booking.checked_in")).toHaveLength(1);
  });

  it("refuses the wrong day, an unknown code and every state but confirmed", async () => {
    const actor = await staff();
    const early = await booked();
    const dayBefore = new Date(early.slot.startsAt.getTime() - 30 * HOUR);
    expect(await failure(checkInBooking({ code: early.code, actor, now: dayBefore }))).toBe("INVALID_STATE");
    expect(await failure(checkInBooking({ code: "ZZZZ2222", actor }))).toBe("NOT_FOUND");

    const cancelled = await booked();
    await cancelBooking({ bookingId: cancelled.id, actor, reason: "test" });
    const pending = await booked({ paid: true });
    const completed = await booked();
    await completeBooking({ bookingId: completed.id, actor, now: completed.slot.startsAt });
    for (const b of [cancelled, pending, completed]) {
      const now = new Date(b.slot.startsAt.getTime() - 10 * 60_000);
      expect(await failure(checkInBooking({ code: b.code, actor, now }))).toBe("INVALID_STATE");
      expect((await row(b.id)).checkedInAt).toBeNull();
      expect(await trail(b.id, "booking.checked_in")).toHaveLength(0);
    }
    const expired = await booked({ paid: true });
    await expireHolds(expired.slot.startsAt);
    expect((await row(expired.id)).status).toBe("expired");
    expect(await failure(checkInBooking({ code: expired.code, actor, now: new Date(expired.slot.startsAt.getTime()) }))).toBe(
      "INVALID_STATE",
    );
  });

  it("opens at the local day's start or two hours before, whichever is earlier", () => {
    // 2026-03-10 00:30 Asia/Shanghai (Tuesday), just after midnight: opens the evening before.
    const startsAt = new Date("2026-03-09T16:30:00Z");
    const w = checkInWindow(startsAt, new Date(startsAt.getTime() + HOUR), "Asia/Shanghai");
    expect(w.opensAt.toISOString()).toBe("2026-03-09T14:30:00.000Z");
    expect(w.closesAt.toISOString()).toBe("2026-03-10T16:00:00.000Z");
  });
});

describe("complete and no-show", () => {
  it("completes a confirmed booking once, not before its start unless the customer checked in", async () => {
    const actor = await staff();
    const b = await booked();
    const before = new Date(b.slot.startsAt.getTime() - 60_000);
    await expect(completeBooking({ bookingId: b.id, actor, now: before })).rejects.toMatchObject({ code: "INVALID_STATE" });
    expect((await row(b.id)).status).toBe("confirmed");
    expect((await completeBooking({ bookingId: b.id, actor, now: b.slot.startsAt })).status).toBe("completed");
    expect(await failure(completeBooking({ bookingId: b.id, actor, now: b.slot.startsAt }))).toBe("INVALID_STATE");
    const early = await booked();
    await checkInBooking({ code: early.code, actor, now: new Date(early.slot.startsAt.getTime() - 30 * 60_000) });
    const served = await completeBooking({ bookingId: early.id, actor, now: new Date(early.slot.startsAt.getTime() - 10 * 60_000) });
    expect(served.status).toBe("completed");
    expect(await trail(b.id, "booking.completed")).toHaveLength(1);
    const pending = await booked({ paid: true });
    expect(await failure(completeBooking({ bookingId: pending.id, actor }))).toBe("INVALID_STATE");
  });

  it("marks a no-show only after the start and only without a check-in", async () => {
    const actor = await staff();
    const b = await booked();
    const before = new Date(b.slot.startsAt.getTime() - 60_000);
    const after = new Date(b.slot.startsAt.getTime() + 15 * 60_000);
    expect(await failure(markNoShow({ bookingId: b.id, actor, now: before }))).toBe("INVALID_STATE");
    const done = await markNoShow({ bookingId: b.id, actor, reason: "did not come", now: after });
    expect(done.status).toBe("no_show");
    const [entry] = await trail(b.id, "booking.no_show");
    expect(entry).toMatchObject({ reason: "did not come", data: { from: "confirmed", to: "no_show" } });

    const came = await booked();
    await checkInBooking({ code: came.code, actor, now: came.slot.startsAt });
    expect(await failure(markNoShow({ bookingId: came.id, actor, now: new Date(came.slot.endsAt.getTime()) }))).toBe("INVALID_STATE");

    const cancelled = await booked();
    await cancelBooking({ bookingId: cancelled.id, actor, reason: "test" });
    expect(await failure(markNoShow({ bookingId: cancelled.id, actor, now: new Date(cancelled.slot.endsAt.getTime()) }))).toBe(
      "INVALID_STATE",
    );
  });

  it("lets exactly one of two concurrent transitions win", async () => {
    const actor = await staff();
    const b = await booked();
    const after = new Date(b.slot.startsAt.getTime() + 5 * 60_000);
    const results = await Promise.all(
      [completeBooking({ bookingId: b.id, actor, now: after }), markNoShow({ bookingId: b.id, actor, now: after })].map(failure),
    );
    expect(results.sort()).toEqual(["INVALID_STATE", "OK"]);
    const audits = [...(await trail(b.id, "booking.completed")), ...(await trail(b.id, "booking.no_show"))];
    expect(audits).toHaveLength(1);
  });

  it("refuses customers, whatever the state", async () => {
    const b = await booked();
    const customer: Actor = { id: (await makeCustomer(getDb())).id, role: "customer" };
    expect(await failure(completeBooking({ bookingId: b.id, actor: customer }))).toBe("FORBIDDEN");
    expect(await failure(checkInBooking({ code: b.code, actor: customer, now: b.slot.startsAt }))).toBe("FORBIDDEN");
    expect((await row(b.id)).status).toBe("confirmed");
  });
});
