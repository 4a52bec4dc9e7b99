import { expect, test, type APIRequestContext } from "@playwright/test";
import { DateTime } from "luxon";
import { demo, registerByEmail, signIn, unique } from "./helpers";

const ZONE = "Asia/Shanghai";
const PASSWORD = "secret-pass-123";

async function registerCustomer(request: APIRequestContext) {
  const email = `${unique("day")}@example.com`;
  const name = unique("学员");
  const res = await registerByEmail(request, { email, password: PASSWORD, name });
  expect(res.status(), await res.text()).toBe(201);
  return { name, token: ((await res.json()) as { token: string }).token };
}

/** A free class of 8 seats in a new room, with a 07:00 and a 10:00 session on `day`. */
async function classDay(request: APIRequestContext, staffHeaders: Record<string, string>, day: string) {
  const room = await request.post("/api/v1/staff/resources", { headers: staffHeaders, data: { kind: "room", name: unique("晨练室") } });
  expect(room.status(), await room.text()).toBe(201);
  const roomBody = await room.json();
  const resource = (roomBody.resource ?? roomBody) as { id: string; name: string };
  const created = await request.post("/api/v1/staff/services", {
    headers: staffHeaders,
    data: {
      name: unique("早课"),
      durationMin: 60,
      priceFen: 0,
      capacity: 8,
      resourceId: resource.id,
      schedule: {
        dateOverrides: {
          [day]: [
            { start: "07:00", end: "08:00" },
            { start: "10:00", end: "11:00" },
          ],
        },
        slotIntervalMin: 60,
      },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const serviceId = (await created.json()).service.id as string;
  const generated = await request.post(`/api/v1/staff/services/${serviceId}/timeslots/generate`, {
    headers: staffHeaders,
    data: { from: day, days: 1 },
  });
  expect((await generated.json()).created).toBe(2);
  const { slots } = await (await request.get(`/api/v1/services/${serviceId}/availability?from=${day}&to=${day}`)).json();
  const early = (slots as { id: string; startsAt: string }[]).find((s) => DateTime.fromISO(s.startsAt).setZone(ZONE).hour === 7)!;
  return { serviceId, resource, early };
}

test("staff see a 07:00 class as one block with its roster, and a column per room", async ({ page, request }) => {
  test.setTimeout(120_000);
  const token = (await (await request.post("/api/v1/auth/token", { data: demo.staff })).json()).token as string;
  const staffHeaders = { authorization: `Bearer ${token}` };
  const day = DateTime.now()
    .setZone(ZONE)
    .plus({ days: 3 + Math.floor(Math.random() * 20) })
    .toISODate()!;
  const { serviceId, resource, early } = await classDay(request, staffHeaders, day);

  // Two customers take three of the eight seats of the 07:00 session.
  const a = await registerCustomer(request);
  const b = await registerCustomer(request);
  for (const [who, seats] of [
    [a, 1],
    [b, 2],
  ] as const) {
    const res = await request.post("/api/v1/bookings", {
      headers: { authorization: `Bearer ${who.token}` },
      data: { timeslotId: early.id, seats },
    });
    expect(res.status(), await res.text()).toBe(201);
  }

  await signIn(page, demo.staff.email, demo.staff.password, `/dashboard/calendar?view=day&date=${day}&serviceId=${serviceId}`);
  // One block for the class (not one per customer), on screen although it starts before 08:00.
  const block = page.locator('[data-testid="cal-event"][data-kind="class"]');
  await expect(block).toHaveCount(1);
  await expect(block).toHaveAttribute("data-booked", "3");
  await expect(block).toHaveAttribute("data-capacity", "8");
  await expect(block).toBeVisible();
  await expect(page.locator('[data-testid="cal-event"][data-kind="booking"]')).toHaveCount(0);
  await block.click();
  const roster = page.getByTestId("class-roster");
  await expect(roster.getByTestId("roster-row")).toHaveCount(2);
  await expect(roster).toContainText(a.name);
  await expect(roster).toContainText(b.name);
  // The class still has room: staff can book the fourth seat from the same panel.
  await expect(page.getByTestId("book-on-behalf")).toBeVisible();

  // One column per staff member or room.
  await page.getByTestId("toggle-by-resource").click();
  await expect(page).toHaveURL(/by=resource/);
  await expect(page.locator(".rbc-time-header .rbc-header", { hasText: resource.name })).toBeVisible();
  await expect(page.locator('[data-testid="cal-event"][data-kind="class"]')).toHaveCount(1);
});

test("at the desk on a phone: today's appointments check in with one tap", async ({ page, request }) => {
  test.setTimeout(120_000);
  const token = (await (await request.post("/api/v1/auth/token", { data: demo.staff })).json()).token as string;
  const staffHeaders = { authorization: `Bearer ${token}` };
  // A 15-minute session starting in 10-15 minutes, later today.
  const now = DateTime.now().setZone(ZONE);
  const soon = now.plus({ minutes: 10 });
  const start = soon.set({ minute: Math.ceil(soon.minute / 5) * 5, second: 0, millisecond: 0 });
  test.skip(start.plus({ minutes: 15 }).toISODate() !== now.toISODate(), "no session fits before midnight");
  const created = await request.post("/api/v1/staff/services", {
    headers: staffHeaders,
    data: {
      name: unique("当日"),
      durationMin: 15,
      priceFen: 0,
      rules: { minNoticeMin: 0 },
      schedule: {
        dateOverrides: { [start.toISODate()!]: [{ start: start.toFormat("HH:mm"), end: start.plus({ minutes: 30 }).toFormat("HH:mm") }] },
        slotIntervalMin: 30,
      },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const serviceId = (await created.json()).service.id as string;
  await request.post(`/api/v1/staff/services/${serviceId}/timeslots/generate`, {
    headers: staffHeaders,
    data: { from: start.toISODate(), days: 1 },
  });
  const { slots } = await (
    await request.get(`/api/v1/services/${serviceId}/availability?from=${start.toISODate()}&to=${start.toISODate()}`)
  ).json();
  const customer = await registerCustomer(request);
  const res = await request.post("/api/v1/bookings", {
    headers: { authorization: `Bearer ${customer.token}` },
    data: { timeslotId: (slots as { id: string }[])[0]?.id },
  });
  expect(res.status(), await res.text()).toBe(201);
  const code = (await res.json()).booking.code as string;

  await signIn(page, demo.staff.email, demo.staff.password, "/dashboard");
  const row = page.locator(`[data-testid="desk-row"][data-code="${code}"]`);
  await expect(row).toContainText(customer.name);
  // Not started yet: no no-show button.
  await expect(row.getByTestId("desk-no-show")).toHaveCount(0);
  await row.getByTestId("desk-check-in").click();
  await expect(row).toContainText("已签到");
  await expect(row.getByTestId("desk-check-in")).toHaveCount(0);
  await expect(page.getByTestId("week-appointments")).toBeVisible();

  // The booking's audit trail reads as words and labelled values, not raw JSON.
  await row.getByRole("link").click();
  const audit = page.getByTestId("booking-audit");
  await expect(audit.locator('[data-action="booking.checked_in"]')).toContainText("到店签到");
  const createdEntry = audit.locator('[data-action="booking.created"]');
  await expect(createdEntry).toContainText("创建预约");
  await expect(createdEntry.getByTestId("audit-data")).toContainText("人数");
  await expect(createdEntry.getByTestId("audit-data")).toContainText("应付");
  await expect(createdEntry.getByTestId("audit-data")).toContainText("¥0.00");
  await expect(audit).not.toContainText("{");
});

test("staff copy one day's hours to Monday–Friday in the schedule editor", async ({ page, request }) => {
  const token = (await (await request.post("/api/v1/auth/token", { data: demo.staff })).json()).token as string;
  const created = await request.post("/api/v1/staff/services", {
    headers: { authorization: `Bearer ${token}` },
    data: { name: unique("排班复制"), durationMin: 30, priceFen: 0 },
  });
  expect(created.status(), await created.text()).toBe(201);
  const serviceId = (await created.json()).service.id as string;
  await signIn(page, demo.staff.email, demo.staff.password, `/dashboard/services/${serviceId}`);
  const form = page.getByTestId("schedule-form");
  const tue = form.getByTestId("schedule-tue");
  await tue.getByRole("button", { name: "+ 时间段" }).first().click();
  await tue.locator('input[type="time"]').nth(0).fill("10:00");
  await tue.locator('input[type="time"]').nth(1).fill("18:30");
  await tue.getByTestId("copy-tue").click();
  for (const d of ["mon", "wed", "thu", "fri"]) {
    await expect(form.getByTestId(`schedule-${d}`).locator('input[type="time"]').nth(0)).toHaveValue("10:00");
    await expect(form.getByTestId(`schedule-${d}`).locator('input[type="time"]').nth(1)).toHaveValue("18:30");
  }
  await expect(form.getByTestId("schedule-sat").locator('input[type="time"]')).toHaveCount(0);
  await form.getByRole("button", { name: "保存排班" }).click();
  await expect(page.getByTestId("schedule-result")).toContainText("排班已保存");
  await page.reload();
  await expect(page.getByTestId("schedule-form").getByTestId("schedule-fri").locator('input[type="time"]').nth(1)).toHaveValue("18:30");
  await expect(page.getByTestId("schedule-form").getByTestId("schedule-sun").locator('input[type="time"]')).toHaveCount(0);
});
