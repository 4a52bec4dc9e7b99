import { expect, test, type APIRequestContext } from "@playwright/test";
import { DateTime } from "luxon";
import { approveInCashier, customerWithPendingBooking, demo, registerByEmail, signIn, unique, uniquePhone } from "./helpers";

const ZONE = "Asia/Shanghai";

/** Every message the dev transports recorded for a phone (staff-only dev endpoint). */
async function smsTo(request: APIRequestContext, headers: Record<string, string>, phone: string) {
  const res = await request.get(`/api/v1/staff/dev-messages?channel=sms&to=${encodeURIComponent(phone)}`, { headers });
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { messages: { idempotencyKey: string }[] }).messages.map((m) => m.idempotencyKey);
}

/** A ¥200 service (¥50 deposit) with slots all of today, bookable right away; staff headers to drive it. */
async function deskService(request: APIRequestContext) {
  const token = (await (await request.post("/api/v1/auth/token", { data: demo.staff })).json()).token as string;
  const headers = { authorization: `Bearer ${token}` };
  const day = DateTime.now().setZone(ZONE).toISODate()!;
  const created = await request.post("/api/v1/staff/services", {
    headers,
    data: {
      name: unique("到店服务"),
      durationMin: 30,
      priceFen: 20000,
      depositFen: 5000,
      rules: { minNoticeMin: 0 },
      schedule: { dateOverrides: { [day]: [{ start: "00:00", end: "23:59" }] }, slotIntervalMin: 30 },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const serviceId = (await created.json()).service.id as string;
  const generated = await request.post(`/api/v1/staff/services/${serviceId}/timeslots/generate`, { headers, data: { from: day, days: 1 } });
  expect(generated.ok()).toBe(true);
  const { slots } = await (await request.get(`/api/v1/services/${serviceId}/availability?from=${day}&to=${day}`)).json();
  const open = (slots as { id: string; state: string }[]).filter((s) => s.state === "open");
  expect(open.length).toBeGreaterThan(0);
  return { headers, serviceId, day, slotId: open[0]!.id };
}

test("staff record the cash at check-in and the balance shows 0", async ({ page, request }) => {
  test.setTimeout(120_000);
  const { headers, slotId } = await deskService(request);
  const reg = await registerByEmail(request, {
    email: `${unique("desk")}@example.com`,
    password: "password-123",
    name: unique("到店客户"),
  });
  const customerId = (await reg.json()).user.id as string;
  // Booked on the phone by staff, 到店付: confirmed, the whole price due at the visit.
  const made = await request.post("/api/v1/staff/bookings", { headers, data: { timeslotId: slotId, customerId, payment: "desk" } });
  expect(made.status(), await made.text()).toBe(201);
  const booking = (await made.json()).booking as { id: string; code: string; status: string; holdExpiresAt: string | null };
  expect(booking).toMatchObject({ status: "confirmed", holdExpiresAt: null });

  await signIn(page, demo.staff.email, demo.staff.password, "/dashboard");
  await page
    .getByTestId("check-in-form")
    .getByPlaceholder(/输入预约码/)
    .fill(booking.code);
  await page.getByTestId("check-in-form").getByRole("button", { name: "核销", exact: true }).click();
  await expect(page.getByTestId("check-in-result")).toContainText("需收取 ¥200.00");

  await page.goto(`/dashboard/bookings/${booking.id}`);
  await expect(page.getByTestId("booking-balance")).toHaveText("¥200.00");
  const desk = page.getByTestId("action-desk-payment");
  await expect(desk.getByTestId("balance-due")).toContainText("¥200.00");
  await desk.getByTestId("desk-method").selectOption("cash");
  await desk.getByRole("button", { name: "记录收款" }).click();
  await expect(page.getByTestId("action-notice")).toContainText("待收余额 ¥0.00");
  await page.reload();
  await expect(page.getByTestId("booking-balance")).toHaveText("¥0.00");
  await expect(page.getByTestId("action-desk-payment")).toHaveCount(0);
  await expect(page.getByTestId("booking-ledger")).toContainText("已付 ¥200.00");
});

test("a desk booking with 到店付: confirmed with the balance due, and no pay-in-15-minutes SMS", async ({ page, request }) => {
  test.setTimeout(120_000);
  const { headers, serviceId, day } = await deskService(request);
  await signIn(page, demo.staff.email, demo.staff.password, `/dashboard/calendar?view=day&date=${day}&serviceId=${serviceId}`);
  await page.locator('[data-testid="cal-event"][data-kind="slot"]').last().click();
  const panel = page.getByTestId("book-on-behalf");
  await panel.getByRole("button", { name: "新建客户" }).click();
  const name = unique("到店付客户");
  const phone = uniquePhone();
  await panel.getByLabel("姓名").fill(name);
  await panel.getByLabel("手机号").fill(phone);
  await panel.getByRole("button", { name: "创建客户" }).click();
  await expect(panel.getByTestId("chosen-customer")).toContainText(name);
  await panel.getByTestId("on-behalf-payment").getByLabel("到店付").check();
  await panel.getByRole("button", { name: "为该客户预约" }).click();
  await expect(page.getByTestId("book-result")).toContainText("预约成功");
  await panel.getByRole("link").click();
  await expect(page.getByTestId("booking-status")).toHaveText("已确认");
  await expect(page.getByTestId("booking-balance")).toHaveText("¥200.00");
  // The confirmation goes out; a pay-within-the-hold message never does.
  await expect
    .poll(async () => (await smsTo(request, headers, phone)).some((k) => k.startsWith("booking_confirmed:")), { timeout: 20_000 })
    .toBe(true);
  expect((await smsTo(request, headers, phone)).filter((k) => k.startsWith("booking_pending_payment:"))).toEqual([]);
});

test("the customer pays the balance online before the visit, once the deposit is in", async ({ page, context, request, isMobile }) => {
  test.skip(isMobile, "the desktop pay flow (an order, then the wallet in a new tab); a phone goes to the wallet in the same tab");
  test.setTimeout(150_000);
  const { email, password, headers, booking } = await customerWithPendingBooking(request);
  const pay = await request.post(`/api/v1/bookings/${booking.id}/pay`, { headers, data: { provider: "alipay" } });
  expect(pay.status(), await pay.text()).toBe(201);
  const order = await pay.json();
  const cashier = await context.newPage();
  await cashier.goto(order.payUrl ?? order.codeUrl);
  await approveInCashier(cashier);
  await expect
    .poll(async () => (await (await request.get(`/api/v1/bookings/${booking.id}`, { headers })).json()).booking.status, { timeout: 30_000 })
    .toBe("confirmed");
  const view = (await (await request.get(`/api/v1/bookings/${booking.id}`, { headers })).json()).booking as {
    balance: { priceFen: number; paidFen: number; balanceFen: number };
  };
  expect(view.balance.paidFen).toBe(5000);
  const rest = view.balance.priceFen - 5000;
  expect(view.balance.balanceFen).toBe(rest);
  const yuan = `¥${(rest / 100).toFixed(2)}`;

  await signIn(page, email, password, `/bookings/${booking.id}`);
  await expect(page.getByTestId("balance-due")).toContainText(yuan);
  await page.getByTestId("pay-balance-link").click();
  await expect(page.getByTestId("pay-balance")).toContainText(yuan);
  await page.getByRole("button", { name: "支付宝" }).click();
  await expect(page.getByTestId("pay-order")).toBeVisible();
  const [wallet] = await Promise.all([context.waitForEvent("page"), page.getByTestId("pay-open").click()]);
  await approveInCashier(wallet);
  await expect(page).toHaveURL(new RegExp(`/bookings/${booking.id}(\\?|$)`), { timeout: 45_000 });
  await expect(page.getByTestId("booking-title")).toHaveText("预约成功");
  await expect(page.getByTestId("balance-due")).toHaveCount(0);
  const after = (await (await request.get(`/api/v1/bookings/${booking.id}`, { headers })).json()).booking;
  expect(after.balance).toMatchObject({ paidFen: view.balance.priceFen, balanceFen: 0 });
});
