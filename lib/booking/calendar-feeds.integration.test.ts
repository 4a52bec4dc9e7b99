import ical, { type VEvent } from "node-ical";
import { describe, expect, it } from "vitest";
import { GET as feedRoute } from "@/app/api/v1/feeds/[token]/route";
import { DELETE as revokeRoute } from "@/app/api/v1/me/calendar-feeds/[id]/route";
import { GET as listRoute, POST as createRoute } from "@/app/api/v1/me/calendar-feeds/route";
import { POST as createStaffRoute } from "@/app/api/v1/staff/calendar-feeds/route";
import { getDb } from "@/db/client";
import { resources, serviceStaff, type User } from "@/db/schema";
import { issueApiToken } from "@/lib/auth/api-tokens";
import { setupTestDb } from "@/tests/db";
import { makeCustomer, makeService, makeSlot } from "@/tests/fixtures";
import { callRoute } from "@/tests/routes";
import { cancelBooking } from "./cancel-booking";
import { createBooking } from "./create-booking";
import { rescheduleBooking } from "./reschedule-booking";

setupTestDb();

let ipSeq = 0;
type Who = { user: User; token: string; ip: string };
async function who(role: User["role"] = "customer"): Promise<Who> {
  const user = await makeCustomer(getDb(), { role });
  ipSeq++;
  return { user, token: (await issueApiToken(user.id, "api", role === "customer" ? undefined : "staff")).token, ip: `10.88.0.${ipSeq}` };
}

/** The feed as a calendar app fetches it: no session, the token in the path. */
async function fetchFeed(url: string) {
  const path = new URL(url).pathname;
  const token = path.split("/").pop()!;
  const res = await callRoute(feedRoute, { path, ip: "10.88.1.1", params: { token } });
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
}

const events = (text: string): VEvent[] =>
  Object.values(ical.sync.parseICS(text)).filter((c): c is VEvent => (c as { type?: string }).type === "VEVENT");

async function newFeed(w: Who, route = createRoute, path = "/api/v1/me/calendar-feeds") {
  const res = await callRoute(route, { path, ip: w.ip, token: w.token, method: "POST" });
  expect(res.status).toBe(201);
  return (await res.json()) as { feed: { id: string }; url: string };
}

describe("calendar feeds", () => {
  it("a customer's feed is valid iCalendar with their bookings; a reschedule moves the event (same UID, higher SEQUENCE)", async () => {
    const db = getDb();
    const customer = await who();
    const service = await makeService(db, { name: "订阅测试服务" });
    const [a, b] = [await makeSlot(db, service), await makeSlot(db, service)];
    const booking = await createBooking({ customerId: customer.user.id, timeslotId: a.id });
    // Somebody else's booking never shows.
    await createBooking({ customerId: (await who()).user.id, timeslotId: b.id });

    const { url, feed } = await newFeed(customer);
    expect(url).toMatch(/\/api\/v1\/feeds\/[A-Za-z0-9_-]{43}\.ics$/);
    const first = await fetchFeed(url);
    expect(first.status).toBe(200);
    expect(first.type).toContain("text/calendar");
    const [event, ...more] = events(first.text);
    expect(more).toHaveLength(0);
    expect(event).toMatchObject({ uid: `${booking.id}@yuyue`, status: "CONFIRMED" });
    expect(String(event!.summary)).toContain("订阅测试服务");
    expect(event!.start.toISOString()).toBe(a.startsAt.toISOString());
    expect(Number(event!.sequence)).toBe(0);

    // The listing shows the feed without its token.
    const listed = await callRoute(listRoute, { path: "/api/v1/me/calendar-feeds", ip: customer.ip, token: customer.token });
    const body = (await listed.json()) as { feeds: Record<string, unknown>[] };
    expect(body.feeds).toEqual([expect.objectContaining({ id: feed.id, revokedAt: null })]);
    expect(JSON.stringify(body)).not.toContain(url.split("/").pop()!.replace(".ics", ""));

    const c = await makeSlot(db, service);
    await new Promise((r) => setTimeout(r, 5)); // LAST-MODIFIED is to the second in the file; the row's stamp moves anyway
    await rescheduleBooking({ bookingId: booking.id, timeslotId: c.id, actor: { id: customer.user.id, role: "customer" } });
    const second = await fetchFeed(url);
    expect(second.text).not.toBe(first.text);
    const moved = events(second.text);
    expect(moved).toHaveLength(1);
    expect(moved[0]).toMatchObject({ uid: `${booking.id}@yuyue`, status: "CONFIRMED" });
    expect(Number(moved[0]!.sequence)).toBe(1);
    expect(moved[0]!.start.toISOString()).toBe(c.startsAt.toISOString());

    // Cancelled: still there, STATUS:CANCELLED, one SEQUENCE higher again.
    const live = await createBooking({ customerId: customer.user.id, timeslotId: (await makeSlot(db, service)).id });
    await cancelBooking({ bookingId: live.id, actor: { id: customer.user.id, role: "customer" } });
    const third = events((await fetchFeed(url)).text).find((e) => e.uid === `${live.id}@yuyue`);
    expect(third).toMatchObject({ status: "CANCELLED" });
    expect(Number(third!.sequence)).toBe(1);
  });

  it("a revoked feed answers 404; regenerating revokes the previous address", async () => {
    const customer = await who();
    const one = await newFeed(customer);
    expect((await fetchFeed(one.url)).status).toBe(200);
    const two = await newFeed(customer);
    expect((await fetchFeed(one.url)).status).toBe(404);
    expect((await fetchFeed(two.url)).status).toBe(200);
    const del = await callRoute(revokeRoute, {
      path: `/api/v1/me/calendar-feeds/${two.feed.id}`,
      ip: customer.ip,
      token: customer.token,
      method: "DELETE",
      params: { id: two.feed.id },
    });
    expect(del.status).toBe(200);
    const gone = await fetchFeed(two.url);
    expect(gone.status).toBe(404);
    expect(JSON.parse(gone.text)).toMatchObject({ error: { code: "NOT_FOUND" } });
    // Another user cannot revoke it (not found), and a made-up token is 404 too.
    const stranger = await who();
    const theirs = await callRoute(revokeRoute, {
      path: `/api/v1/me/calendar-feeds/${one.feed.id}`,
      ip: stranger.ip,
      token: stranger.token,
      method: "DELETE",
      params: { id: one.feed.id },
    });
    expect(theirs.status).toBe(404);
    expect((await fetchFeed(`http://x/api/v1/feeds/${"A".repeat(43)}.ics`)).status).toBe(404);
  });

  it("a staff feed has the bookings assigned to the staff member; customers cannot make one", async () => {
    const db = getDb();
    const staff = await who("staff");
    const service = await makeService(db);
    // Two stylists offer the service; only the first is this staff member's account.
    const [resource, other] = await db
      .insert(resources)
      .values([
        { businessId: service.businessId, kind: "staff", name: "技师", userId: staff.user.id },
        { businessId: service.businessId, kind: "staff", name: "另一位技师" },
      ])
      .returning();
    await db.insert(serviceStaff).values([
      { serviceId: service.id, resourceId: resource!.id },
      { serviceId: service.id, resourceId: other!.id },
    ]);
    const slot = await makeSlot(db, service, { capacity: service.capacity * 2 });
    const customer = await who();
    const booked = await createBooking({ customerId: customer.user.id, timeslotId: slot.id, staffId: resource!.id });
    await createBooking({ customerId: (await who()).user.id, timeslotId: slot.id, staffId: other!.id });
    const { url } = await newFeed(staff, createStaffRoute, "/api/v1/staff/calendar-feeds");
    const list = events((await fetchFeed(url)).text);
    expect(list.map((e) => e.uid)).toEqual([`${booked.id}@yuyue`]);
    expect(String(list[0]!.summary)).toContain(customer.user.name);

    const denied = await callRoute(createStaffRoute, {
      path: "/api/v1/staff/calendar-feeds",
      ip: customer.ip,
      token: customer.token,
      method: "POST",
    });
    expect(denied.status).toBe(403);
  });

  it("a feed polled too often is answered 429 with Retry-After", async () => {
    const { url } = await newFeed(await who());
    let last = 200;
    for (let i = 0; i < 32 && last === 200; i++) last = (await fetchFeed(url)).status;
    expect(last).toBe(429);
  });
});
