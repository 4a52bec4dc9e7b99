import { expect, test, type APIRequestContext } from "@playwright/test";
import { DateTime } from "luxon";
import { demo, registerByEmail, unique } from "./helpers";

/**
 * Over HTTP against the production server (PGlite in the embedded phase, PostgreSQL in the
 * other): many distinct customers race for the same seats; the database decides.
 */
test.describe.configure({ mode: "serial" });
test.setTimeout(240_000);

const json = (token: string) => ({ authorization: `Bearer ${token}` });

async function staffToken(request: APIRequestContext): Promise<string> {
  return (await (await request.post("/api/v1/auth/token", { data: demo.staff })).json()).token;
}

async function customerTokens(request: APIRequestContext, n: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < n; i += 25) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(25, n - i) }, async () => {
        const res = await registerByEmail(request, { email: `${unique("race")}@example.com`, password: "password-123", name: "抢位顾客" });
        expect(res.status()).toBe(201);
        return (await res.json()).token as string;
      }),
    );
    tokens.push(...batch);
  }
  return tokens;
}

/** A service open 10:00–12:00 every day, with slots generated for the next weeks. */
async function serviceWithSlots(request: APIRequestContext, token: string, body: Record<string, unknown>) {
  const every = { start: "10:00", end: "12:00" };
  const res = await request.post("/api/v1/staff/services", {
    headers: json(token),
    data: {
      name: unique("并发测试"),
      rules: { minNoticeMin: 0 },
      schedule: {
        weeklyHours: { mon: [every], tue: [every], wed: [every], thu: [every], fri: [every], sat: [every], sun: [every] },
        slotIntervalMin: 60,
        windowDays: 10,
      },
      ...body,
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  const { service } = await res.json();
  const gen = await request.post(`/api/v1/staff/services/${service.id}/timeslots/generate`, { headers: json(token), data: {} });
  expect((await gen.json()).created).toBeGreaterThan(0);
  return service as { id: string };
}

async function slotsOn(request: APIRequestContext, serviceId: string, date: string) {
  const res = await request.get(`/api/v1/services/${serviceId}/availability?from=${date}&to=${date}`);
  expect(res.status()).toBe(200);
  return (await res.json()).slots as { id: string; startsAt: string; remaining: number; capacity: number }[];
}

let tokens: string[] = [];
const date = DateTime.now().setZone("Asia/Shanghai").plus({ days: 3 }).toISODate()!;

test("200 customers book a 3-seat slot at once: exactly 3 win", async ({ request }) => {
  const staff = await staffToken(request);
  tokens = await customerTokens(request, 200);
  const service = await serviceWithSlots(request, staff, { kind: "class", capacity: 3, durationMin: 60 });
  const [slot] = await slotsOn(request, service.id, date);
  expect(slot).toBeDefined();

  const results = await Promise.all(
    tokens.map((t) => request.post("/api/v1/bookings", { headers: json(t), data: { timeslotId: slot!.id } })),
  );
  const statuses = results.map((r) => r.status());
  expect(statuses.filter((s) => s === 201)).toHaveLength(3);
  expect(statuses.filter((s) => s === 409)).toHaveLength(197);
  for (const r of results.filter((x) => x.status() === 409)) expect((await r.json()).error.code).toBe("SLOT_FULL");

  const after = (await slotsOn(request, service.id, date)).find((s) => s.id === slot!.id);
  expect(after).toMatchObject({ capacity: 3, remaining: 0 });
});

test("two services sharing a staff member at overlapping times: exactly one wins", async ({ request }) => {
  const staff = await staffToken(request);
  const res = await request.post("/api/v1/staff/resources", { headers: json(staff), data: { kind: "staff", name: unique("技师") } });
  const { resource } = await res.json();
  const long = await serviceWithSlots(request, staff, { durationMin: 60, resourceId: resource.id });
  const short = await serviceWithSlots(request, staff, { durationMin: 30, resourceId: resource.id });
  const a = (await slotsOn(request, long.id, date))[0]!;
  const b = (await slotsOn(request, short.id, date)).find((s) => s.startsAt === a.startsAt)!;
  expect(b).toBeDefined();

  const results = await Promise.all(
    tokens
      .slice(0, 100)
      .map((t, i) => request.post("/api/v1/bookings", { headers: json(t), data: { timeslotId: i % 2 === 0 ? a.id : b.id } })),
  );
  const statuses = results.map((r) => r.status());
  expect(statuses.filter((s) => s === 201)).toHaveLength(1);
  expect(statuses.filter((s) => s === 409)).toHaveLength(99);
  const codes = new Set(await Promise.all(results.filter((r) => r.status() === 409).map(async (r) => (await r.json()).error.code)));
  expect([...codes].every((c) => c === "SLOT_FULL" || c === "RESOURCE_BUSY")).toBe(true);
  expect(codes.has("RESOURCE_BUSY")).toBe(true);
});

test("one customer fires 3× their booking limit at once: exactly the limit is booked", async ({ request }) => {
  const staff = await staffToken(request);
  const limit = 5;
  const service = await serviceWithSlots(request, staff, {
    durationMin: 60,
    rules: { minNoticeMin: 0, maxActiveBookingsPerCustomer: limit },
  });
  const from = DateTime.now().setZone("Asia/Shanghai").plus({ days: 1 }).toISODate()!;
  const to = DateTime.now().setZone("Asia/Shanghai").plus({ days: 9 }).toISODate()!;
  const res = await request.get(`/api/v1/services/${service.id}/availability?from=${from}&to=${to}`);
  const open = ((await res.json()).slots as { id: string; state: string }[]).filter((s) => s.state === "open");
  expect(open.length).toBeGreaterThanOrEqual(3 * limit);
  const [token] = await customerTokens(request, 1);

  const results = await Promise.all(
    open.slice(0, 3 * limit).map((s) => request.post("/api/v1/bookings", { headers: json(token!), data: { timeslotId: s.id } })),
  );
  const statuses = results.map((r) => r.status());
  expect(statuses.filter((s) => s === 201)).toHaveLength(limit);
  expect(statuses.filter((s) => s === 422)).toHaveLength(2 * limit);
  for (const r of results.filter((x) => x.status() === 422)) expect((await r.json()).error.code).toBe("RULE_VIOLATION");
  const mine = await request.get("/api/v1/bookings", { headers: json(token!) });
  expect(((await mine.json()).bookings as unknown[]).length).toBe(limit);
});
