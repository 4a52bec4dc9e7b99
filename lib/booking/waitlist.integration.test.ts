import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST as cancelRoute } from "@/app/api/v1/bookings/[id]/cancel/route";
import { GET as bookingRoute } from "@/app/api/v1/bookings/[id]/route";
import { POST as bookRoute } from "@/app/api/v1/bookings/route";
import { POST as joinRoute } from "@/app/api/v1/timeslots/[id]/waitlist/route";
import { GET as queueRoute } from "@/app/api/v1/staff/timeslots/[id]/waitlist/route";
import { PATCH as updateServiceRoute } from "@/app/api/v1/staff/services/[id]/route";
import { POST as moveRoute } from "@/app/api/v1/staff/waitlist/[id]/move/route";
import { POST as acceptRoute } from "@/app/api/v1/waitlist/[id]/accept/route";
import { DELETE as leaveRoute } from "@/app/api/v1/waitlist/[id]/route";
import { GET as myWaitlistRoute } from "@/app/api/v1/waitlist/route";
import { getDb } from "@/db/client";
import { auditLog, notifications, timeslots, waitlistEntries, type Timeslot, type User } from "@/db/schema";
import { issueApiToken } from "@/lib/auth/api-tokens";
import { setupTestDb, uniq } from "@/tests/db";
import { makeCustomer, makeService, makeSlot } from "@/tests/fixtures";
import { callRoute } from "@/tests/routes";
import { expireHolds } from "./expire-holds";
import { expireOffers } from "./waitlist-offers";

setupTestDb();

type Entry = { id: string; status: string; position: number | null; bookingId: string | null; offerExpiresAt: string } & Record<
  string,
  unknown
>;
/** The answers these tests read: whichever the route gives, by name. */
type Body = {
  entry: Entry;
  entries: Entry[];
  booking: { id: string; status: string; holdExpiresAt: string } & Record<string, unknown>;
  error: { code: string; message: string };
};

let ipSeq = 0;
type Who = { user: User; token: string; ip: string };

async function customer(extra: Partial<User> = {}): Promise<Who> {
  const user = await makeCustomer(getDb(), { phone: `+86139${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`, ...extra });
  ipSeq++;
  return { user, token: (await issueApiToken(user.id)).token, ip: `10.77.${Math.floor(ipSeq / 250)}.${(ipSeq % 250) + 1}` };
}

async function api(
  handler: Parameters<typeof callRoute>[0],
  who: Who,
  path: string,
  opts: { method?: string; body?: unknown; params?: Record<string, string> } = {},
) {
  const res = await callRoute(handler, { path, ip: who.ip, token: who.token, ...opts });
  return { status: res.status, body: (await res.json()) as Body };
}

const book = (who: Who, slot: Timeslot) => api(bookRoute, who, "/api/v1/bookings", { body: { timeslotId: slot.id } });
const join = (who: Who, slot: Timeslot, body: unknown = {}) =>
  api(joinRoute, who, `/api/v1/timeslots/${slot.id}/waitlist`, { body, params: { id: slot.id } });
const mine = async (who: Who) => (await api(myWaitlistRoute, who, "/api/v1/waitlist")).body.entries;
const cancel = (who: Who, bookingId: string) =>
  api(cancelRoute, who, `/api/v1/bookings/${bookingId}/cancel`, { body: {}, params: { id: bookingId } });
const slotRow = async (id: string) => (await getDb().select().from(timeslots).where(eq(timeslots.id, id)))[0]!;
const offerMessages = (userId: string) =>
  getDb()
    .select({ channel: notifications.channel, body: notifications.body })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.type, "waitlist_offer")));

describe("waitlist over HTTP", () => {
  it("a paid full slot: the first in line is held the freed seat, nobody else can take it; on expiry the second gets it", async () => {
    const db = getDb();
    const service = await makeService(db, {
      priceFen: 6000,
      depositFen: 2000,
      rules: { minNoticeMin: 0, maxAdvanceDays: 3650, holdMinutes: 10 },
    });
    const slot = await makeSlot(db, service);
    const [owner, first, second, third] = [await customer(), await customer(), await customer(), await customer()];

    // Room left: joining is refused (book instead).
    expect((await join(first, slot)).body.error.code).toBe("CONFLICT");
    const held = await book(owner, slot);
    expect(held.status).toBe(201);

    const a = await join(first, slot);
    expect(a.status).toBe(201);
    expect(a.body.entry).toMatchObject({
      timeslotId: slot.id,
      seats: 1,
      status: "waiting",
      position: 1,
      bookingId: null,
      offerExpiresAt: null,
    });
    const b = await join(second, slot);
    expect(b.body.entry).toMatchObject({ status: "waiting", position: 2 });
    // Joining again keeps the place.
    const again = await join(first, slot);
    expect(again.status).toBe(200);
    expect(again.body.entry.id).toBe(a.body.entry.id);

    expect((await cancel(owner, held.body.booking.id)).status).toBe(200);

    // Within the cancelling request: the first is offered a held booking, the second keeps waiting.
    const [offer] = await mine(first);
    expect(offer).toMatchObject({ id: a.body.entry.id, status: "offered", position: null });
    const offeredId = offer!.bookingId!;
    expect(offeredId).toEqual(expect.any(String));
    const offeredBooking = await api(bookingRoute, first, `/api/v1/bookings/${offeredId}`, { params: { id: offeredId } });
    expect(offeredBooking.body.booking).toMatchObject({ status: "pending_payment", amountDueFen: 2000, timeslotId: slot.id });
    expect(new Date(offer!.offerExpiresAt).getTime()).toBe(new Date(offeredBooking.body.booking.holdExpiresAt).getTime());
    expect((await mine(second))[0]).toMatchObject({ status: "waiting", position: 1 });
    expect((await slotRow(slot.id)).bookedCount).toBe(1);

    // Told by every channel, with the pay link.
    const messages = await offerMessages(first.user.id);
    expect(messages.map((m) => m.channel).sort()).toEqual(["email", "in_app", "sms"]);
    expect(messages.find((m) => m.channel === "in_app")!.body).toContain(`/bookings/${offer!.bookingId}/pay`);

    // Someone outside the queue cannot take the held seat.
    const outsider = await book(third, slot);
    expect(outsider.status).toBe(409);
    expect(outsider.body.error.code).toBe("SLOT_FULL");
    expect((await join(third, slot)).body.entry).toMatchObject({ status: "waiting", position: 2 });

    // The hold runs out: the seat goes on to the second in line, in the expiry's transaction.
    const later = new Date(Date.now() + 11 * 60_000);
    expect(await expireHolds(later)).toContain(offer!.bookingId);
    expect((await mine(first))[0]).toMatchObject({ status: "expired", offerExpiresAt: null });
    const [secondOffer] = await mine(second);
    expect(secondOffer).toMatchObject({ status: "offered" });
    expect(secondOffer!.bookingId).not.toBe(offer!.bookingId);
    expect((await mine(third))[0]).toMatchObject({ status: "waiting", position: 1 });
    expect((await slotRow(slot.id)).bookedCount).toBe(1);
    expect(await offerMessages(second.user.id)).toHaveLength(3);

    // Declining the offer cancels the held booking and moves the seat on again.
    const left = await api(leaveRoute, second, `/api/v1/waitlist/${secondOffer!.id}`, {
      method: "DELETE",
      params: { id: secondOffer!.id },
    });
    expect(left.body.entry).toMatchObject({ status: "left" });
    expect((await mine(third))[0]).toMatchObject({ status: "offered" });
    expect((await slotRow(slot.id)).bookedCount).toBe(1);
  });

  it("a free slot: the offer is accepted within its minutes into a confirmed booking; unaccepted, it passes on", async () => {
    const db = getDb();
    const service = await makeService(db, {
      capacity: 2,
      kind: "class",
      rules: { minNoticeMin: 0, maxAdvanceDays: 3650, waitlistOfferMinutes: 20 },
    });
    const slot = await makeSlot(db, service);
    const [x, y, first, second, third] = await Promise.all(Array.from({ length: 5 }, () => customer()));
    const bx = await book(x!, slot);
    const by = await book(y!, slot);
    expect([bx.body.booking.status, by.body.booking.status]).toEqual(["confirmed", "confirmed"]);
    const e1 = (await join(first!, slot)).body.entry;
    const e2 = (await join(second!, slot)).body.entry;
    const e3 = (await join(third!, slot)).body.entry;

    await cancel(x!, bx.body.booking.id);
    const [offer] = await mine(first!);
    expect(offer).toMatchObject({ id: e1.id, status: "offered", bookingId: null });
    const deadline = new Date(offer!.offerExpiresAt).getTime();
    expect(deadline - Date.now()).toBeGreaterThan(19 * 60_000);
    expect(deadline - Date.now()).toBeLessThanOrEqual(20 * 60_000);
    expect((await offerMessages(first!.user.id)).find((m) => m.channel === "in_app")!.body).toContain(`/me/waitlist/${e1.id}`);
    // The held seat counts as taken: the slot is full to everyone else.
    expect((await slotRow(slot.id)).bookedCount).toBe(2);
    expect((await book(await customer(), slot)).body.error.code).toBe("SLOT_FULL");
    // Only its customer may accept it.
    expect((await api(acceptRoute, second!, `/api/v1/waitlist/${e1.id}/accept`, { body: {}, params: { id: e1.id } })).status).toBe(404);

    const accepted = await api(acceptRoute, first!, `/api/v1/waitlist/${e1.id}/accept`, { body: {}, params: { id: e1.id } });
    expect(accepted.status).toBe(200);
    expect(accepted.body.booking).toMatchObject({ status: "confirmed", timeslotId: slot.id, seats: 1 });
    expect(accepted.body.entry).toMatchObject({ status: "booked", bookingId: accepted.body.booking.id });
    // Accepting twice gives the same booking and takes no second seat.
    const twice = await api(acceptRoute, first!, `/api/v1/waitlist/${e1.id}/accept`, { body: {}, params: { id: e1.id } });
    expect(twice.body.booking.id).toBe(accepted.body.booking.id);
    expect((await slotRow(slot.id)).bookedCount).toBe(2);

    await cancel(y!, by.body.booking.id);
    expect((await mine(second!))[0]).toMatchObject({ id: e2.id, status: "offered" });
    // Not accepted in time: the job ends it and the third is offered the seat.
    expect(await expireOffers(new Date(Date.now() + 21 * 60_000))).toEqual([e2.id]);
    expect((await mine(second!))[0]).toMatchObject({ status: "expired" });
    expect((await mine(third!))[0]).toMatchObject({ id: e3.id, status: "offered" });
    const late = await api(acceptRoute, second!, `/api/v1/waitlist/${e2.id}/accept`, { body: {}, params: { id: e2.id } });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe("INVALID_STATE");
    expect((await slotRow(slot.id)).bookedCount).toBe(2);
  });

  it("50 waiting, 3 seats freed at once: exactly 3 offers, to the first 3 in line", async () => {
    const db = getDb();
    const service = await makeService(db, { capacity: 3, kind: "class" });
    const slot = await makeSlot(db, service);
    const holders = await Promise.all(Array.from({ length: 3 }, () => customer()));
    const booked: string[] = [];
    for (const h of holders) booked.push((await book(h, slot)).body.booking.id);
    const waiting: Who[] = [];
    for (let i = 0; i < 50; i++) {
      const w = await customer();
      expect((await join(w, slot)).body.entry.position).toBe(i + 1);
      waiting.push(w);
    }
    const results = await Promise.all(holders.map((h, i) => cancel(h, booked[i]!)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);

    const entries = await db.select().from(waitlistEntries).where(eq(waitlistEntries.timeslotId, slot.id));
    const offered = entries
      .filter((e) => e.status === "offered")
      .map((e) => e.customerId)
      .sort();
    expect(offered).toEqual(
      waiting
        .slice(0, 3)
        .map((w) => w.user.id)
        .sort(),
    );
    expect(entries.filter((e) => e.status === "waiting")).toHaveLength(47);
    const slotNow = await slotRow(slot.id);
    expect(slotNow.bookedCount).toBe(3);
    expect((await mine(waiting[3]!))[0]).toMatchObject({ status: "waiting", position: 1 });
    // 53 customers and 50 joins in order, over HTTP: minutes on a loaded machine.
  }, 180_000);

  it("staff see the queue per slot and move an entry up, audited", async () => {
    const db = getDb();
    const service = await makeService(db);
    const slot = await makeSlot(db, service);
    const staffUser = await makeCustomer(db, { role: "staff", name: uniq("店员") });
    const staff: Who = { user: staffUser, token: (await issueApiToken(staffUser.id)).token, ip: "10.78.0.1" };
    await book(await customer(), slot);
    const people = [await customer(), await customer(), await customer()];
    const ids: string[] = [];
    for (const p of people) ids.push((await join(p, slot)).body.entry.id);

    // Customers cannot read or reorder the queue.
    expect((await api(queueRoute, people[0]!, `/api/v1/staff/timeslots/${slot.id}/waitlist`, { params: { id: slot.id } })).status).toBe(
      403,
    );
    const moved = await api(moveRoute, staff, `/api/v1/staff/waitlist/${ids[2]}/move`, {
      body: { position: 1, reason: "VIP" },
      params: { id: ids[2]! },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.entries.map((e) => [e.id, e.position])).toEqual([
      [ids[2], 1],
      [ids[0], 2],
      [ids[1], 3],
    ]);
    const queue = await api(queueRoute, staff, `/api/v1/staff/timeslots/${slot.id}/waitlist`, { params: { id: slot.id } });
    expect(queue.body.entries[0]).toMatchObject({ id: ids[2], customerName: people[2]!.user.name });
    const [trail] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "waitlist.reordered"), eq(auditLog.entityId, slot.id)));
    expect(trail).toMatchObject({ actorId: staffUser.id, reason: "VIP", data: { entryId: ids[2], from: 3, to: 1 } });
    expect((await mine(people[2]!))[0]).toMatchObject({ position: 1 });
  });

  it("a raised capacity offers the new seats to the queue in the edit's transaction", async () => {
    const db = getDb();
    const service = await makeService(db, { capacity: 1, kind: "class" });
    const slot = await makeSlot(db, service);
    const staffUser = await makeCustomer(db, { role: "staff" });
    const staff: Who = { user: staffUser, token: (await issueApiToken(staffUser.id)).token, ip: "10.78.0.2" };
    await book(await customer(), slot);
    const people = [await customer(), await customer(), await customer()];
    for (const p of people) await join(p, slot);
    const res = await api(updateServiceRoute, staff, `/api/v1/staff/services/${service.id}`, {
      method: "PATCH",
      body: { capacity: 3 },
      params: { id: service.id },
    });
    expect(res.status).toBe(200);
    expect((await mine(people[0]!))[0]).toMatchObject({ status: "offered" });
    expect((await mine(people[1]!))[0]).toMatchObject({ status: "offered" });
    expect((await mine(people[2]!))[0]).toMatchObject({ status: "waiting", position: 1 });
    expect(await slotRow(slot.id)).toMatchObject({ capacity: 3, bookedCount: 3 });
  });
});
