import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { DateTime } from "luxon";
import { demo, pickDate, registerByEmail, signIn, unique } from "./helpers";

const ZONE = "Asia/Shanghai";
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

type Slot = { id: string; startsAt: string; state: string; remaining: number };

const slotCell = (page: Page, slotId: string) => page.locator(`[data-slot-id="${slotId}"]`);
const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE });

async function token(request: APIRequestContext, who: { email: string; password: string }) {
  const res = await request.post("/api/v1/auth/token", { data: who });
  expect(res.status()).toBe(200);
  return { authorization: `Bearer ${(await res.json()).token as string}` };
}

// The week it edits is 6-7 weeks ahead, where no other spec books (they stay within the demo's 28
// days), one week per browser project, so the business-wide holiday it adds closes no one else's slots.
test("hours, a holiday and a capacity change reach what customers see at once; the booked slot they no longer fit is listed and settled", async ({
  page,
  request,
  browser,
  baseURL,
}, testInfo) => {
  test.setTimeout(180_000);
  const admin = await token(request, demo.admin);
  const monday = DateTime.now()
    .setZone(ZONE)
    .plus({ weeks: testInfo.project.name === "phone" ? 6 : 7 })
    .startOf("week");
  const day = (plus: number) => monday.plus({ days: plus }).toISODate()!;
  const [mon, tue, wed, thu] = [day(0), day(1), day(2), day(3)];
  const schedule = {
    weeklyHours: Object.fromEntries(DAYS.map((d) => [d, [{ start: "09:00", end: "12:00" }]])),
    slotIntervalMin: 60,
    windowDays: 60,
  };
  const created = await request.post("/api/v1/staff/services", {
    headers: admin,
    data: {
      name: unique("排班课"),
      kind: "class",
      durationMin: 60,
      capacity: 4,
      priceFen: 0,
      rules: { minNoticeMin: 0, maxAdvanceDays: 90 },
      schedule,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const serviceId = (await created.json()).service.id as string;
  // Saving the schedule over the staff API materialises its slots (the REST path of the reconcile).
  const saved = await request.put(`/api/v1/staff/services/${serviceId}/schedule`, { headers: admin, data: schedule });
  expect(saved.status(), await saved.text()).toBe(200);
  expect((await saved.json()).reconciled.created).toBeGreaterThan(100);

  const { slots } = (await (await request.get(`/api/v1/services/${serviceId}/availability?from=${mon}&to=${thu}`)).json()) as {
    slots: Slot[];
  };
  const at = (date: string, hour: number) =>
    slots.find((s) => local(s.startsAt).toISODate() === date && local(s.startsAt).hour === hour)!.id;
  expect(slots).toHaveLength(12);

  const customer = await registerByEmail(request, {
    email: `${unique("sched")}@example.com`,
    password: "password-123",
    name: unique("排班顾客"),
  });
  const customerHeaders = { authorization: `Bearer ${(await customer.json()).token as string}` };
  const booked = await request.post("/api/v1/bookings", { headers: customerHeaders, data: { timeslotId: at(mon, 11), fields: {} } });
  expect(booked.status(), await booked.text()).toBe(201);
  const booking = (await booked.json()).booking as { id: string; code: string };

  // What the customer sees before any edit: three slots a day, four seats each (one taken on Monday at 11:00).
  /** The slot's time button, after choosing its day in the picker. */
  const cellOn = async (date: string, hour: number) => {
    await pickDate(page, date);
    return slotCell(page, at(date, hour));
  };
  const view = async () => {
    await page.goto(`/services/${serviceId}?date=${mon}`);
    await expect(await cellOn(thu, 9)).toBeVisible({ timeout: 30_000 });
  };
  await view();
  await expect(await cellOn(tue, 11)).toContainText("剩 4 位");
  await expect(await cellOn(mon, 11)).toContainText("剩 3 位");

  const staff = await browser.newContext({ baseURL, locale: "zh-CN", timezoneId: ZONE });
  const dash = await staff.newPage();
  try {
    // 1. Hours: every day now ends at 11:00, edited in the dashboard's schedule editor.
    await signIn(dash, demo.admin.email, demo.admin.password, `/dashboard/services/${serviceId}`);
    for (const d of DAYS) await dash.getByTestId(`schedule-${d}`).locator('input[type="time"]').nth(1).fill("11:00");
    await dash.getByRole("button", { name: "保存排班" }).click();
    await expect(dash.getByTestId("schedule-result")).toContainText("1 个冲突待处理");
    await expect(dash.getByTestId("service-conflicts")).toContainText(booking.code);

    await view();
    await expect(await cellOn(tue, 11)).toHaveCount(0);
    await expect(await cellOn(mon, 11)).toHaveAttribute("data-state", "closed");
    await expect(await cellOn(tue, 10)).toHaveAttribute("data-state", "open");

    // 2. A business-wide holiday on Wednesday, added in the settings.
    await dash.goto("/dashboard/settings");
    const holidayForm = dash.getByTestId("holiday-form");
    await holidayForm.locator('input[name="date"]').fill(wed);
    await holidayForm.locator('input[name="name"]').fill("排班测试假日");
    await holidayForm.getByRole("button", { name: "添加休息日" }).click();
    await expect(dash.getByTestId("holiday-result")).toContainText(`${wed} 已设为休息日`);
    await expect(dash.locator(`[data-testid="holiday"][data-date="${wed}"]`)).toContainText("排班测试假日");

    await view();
    await expect(await cellOn(wed, 9)).toHaveCount(0);
    await expect(await cellOn(wed, 10)).toHaveCount(0);
    await expect(await cellOn(thu, 10)).toHaveAttribute("data-state", "open");

    // 3. Capacity: four seats down to two, in the service form.
    await dash.goto(`/dashboard/services/${serviceId}`);
    const form = dash.getByTestId("service-form");
    await form.locator('input[name="capacity"]').fill("2");
    await form.getByRole("button", { name: "保存服务" }).click();
    await expect(dash.getByTestId("service-result")).toContainText("已保存");

    await view();
    await expect(await cellOn(tue, 9)).toContainText("剩 2 位");
    await expect(await cellOn(thu, 10)).toContainText("剩 2 位");

    // 4. The booked Monday 11:00 slot is listed among the conflicts; staff cancel it with notice.
    await dash.goto("/dashboard/conflicts");
    const conflict = dash.locator(`[data-testid="conflict"][data-slot-id="${at(mon, 11)}"]`);
    await expect(conflict).toContainText(booking.code);
    await expect(conflict.getByTestId("conflict-reason")).toHaveText("已不在营业时间");
    await conflict.locator('input[name="reason"]').fill("营业时间调整");
    await conflict.getByTestId("conflict-cancel").click();
    // Settled conflicts leave the list (the page is revalidated with the action's answer).
    await expect(conflict).toHaveCount(0);
    const after = await (await request.get(`/api/v1/bookings/${booking.id}`, { headers: customerHeaders })).json();
    expect(after.booking.status).toBe("cancelled");
  } finally {
    await request.delete(`/api/v1/staff/holidays/${wed}`, { headers: admin });
    await staff.close();
  }
});
