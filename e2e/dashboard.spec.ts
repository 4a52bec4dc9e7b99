import { expect, test, type APIRequestContext } from "@playwright/test";
import { DateTime } from "luxon";
import { demo, payInSandbox, registerByEmail, signIn, unique } from "./helpers";

const ZONE = "Asia/Shanghai";
const today = () => DateTime.now().setZone(ZONE).toISODate()!;
const tomorrow = () => DateTime.now().setZone(ZONE).plus({ days: 1 }).toISODate()!;

type Slot = { id: string; startsAt: string; state: string };
type Booking = { id: string; code: string; status: string; amountDueFen: number };

async function newCustomer(request: APIRequestContext) {
  const email = `${unique("dash")}@example.com`;
  const res = await registerByEmail(request, { email, password: "password-123", name: unique("看板客户") });
  expect(res.status()).toBe(201);
  const { token, user } = await res.json();
  return { headers: { authorization: `Bearer ${token}` }, name: user.name as string };
}

async function book(request: APIRequestContext, headers: Record<string, string>, slot: Slot): Promise<Booking> {
  const res = await request.post("/api/v1/bookings", { headers, data: { timeslotId: slot.id, fields: { allergies: "无" } } });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).booking;
}

test("staff create a service with a custom field and a rule, generate slots, find a booking on the calendar, check it in, refund another in part and cancel it (the business refunds all that is left)", async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  page.on("dialog", (d) => d.accept());
  const serviceName = unique("看板服务");
  await signIn(page, demo.staff.email, demo.staff.password, "/dashboard/services/new");
  await expect(page).toHaveURL(/\/dashboard\/services\/new$/);

  // The service: ¥100 paid in full, a required custom field, and a rule override (no minimum notice).
  const form = page.getByTestId("service-form");
  await form.locator('input[name="name"]').fill(serviceName);
  await form.locator('input[name="nameEn"]').fill(`${serviceName} EN`);
  await form.locator('input[name="priceFen"]').fill("100");
  await form.locator('input[name="policy-minNoticeMin"]').fill("0");
  await form.locator('input[name="policy-maxBookingsPerCustomerPerDay"]').fill("3");
  await page.getByTestId("add-field").click();
  await form.locator('input[name="field-0-zh"]').fill("过敏史");
  await form.locator('input[name="field-0-en"]').fill("Allergies");
  await form.locator('input[name="field-0-required"]').check();
  await form.getByRole("button", { name: "创建服务" }).click();
  await expect(page).toHaveURL(/\/dashboard\/services\/[0-9a-f-]{36}$/, { timeout: 20_000 });
  const serviceId = page.url().split("/").pop()!;
  await expect(page.getByTestId("service-title")).toHaveText(serviceName);

  // Its schedule: today and tomorrow open around the clock (date overrides), one slot an hour.
  const schedule = page.getByTestId("schedule-form");
  for (const date of [today(), tomorrow()]) {
    await page.getByTestId("override-date").fill(date);
    await page.getByTestId("add-override-hours").click();
  }
  await expect(schedule.getByTestId("override-row")).toHaveCount(2);
  await schedule.locator('input[name="slotIntervalMin"]').fill("60");
  await schedule.getByRole("button", { name: "保存排班" }).click();
  await expect(page.getByTestId("schedule-result")).toContainText("排班已保存");

  const generate = page.getByTestId("generate-form");
  await generate.locator('input[name="from"]').fill(today());
  await generate.locator('input[name="days"]').fill("2");
  await generate.getByRole("button", { name: "生成时段" }).click();
  await expect(page.getByTestId("generate-result")).toContainText(/新生成 \d+ 个时段/);
  await expect(page.getByTestId("slot-list").locator("li").first()).toBeVisible();

  // A customer books two of its slots through the API: one within the hour, one 3-23 hours ahead.
  const customer = await newCustomer(request);
  const { slots } = (await (
    await request.get(`/api/v1/services/${serviceId}/availability?from=${today()}&to=${tomorrow()}`, { headers: customer.headers })
  ).json()) as { slots: Slot[] };
  const open = slots.filter((s) => s.state === "open");
  const hoursAhead = (s: Slot) => (new Date(s.startsAt).getTime() - Date.now()) / 3_600_000;
  const soon = open.find((s) => hoursAhead(s) > 0.05 && hoursAhead(s) <= 1.2) ?? open[0]!;
  const later = open.find((s) => hoursAhead(s) > 3 && hoursAhead(s) < 23)!;
  expect(later).toBeTruthy();
  const a = await book(request, customer.headers, soon);
  const b = await book(request, customer.headers, later);
  expect(a).toMatchObject({ status: "pending_payment", amountDueFen: 10000 });
  await payInSandbox(page.context(), request, customer.headers, b.id);

  // The booking shows on the calendar (day view of its date, filtered to the service).
  const day = DateTime.fromISO(soon.startsAt).setZone(ZONE).toISODate();
  await page.goto(`/dashboard/calendar?view=day&date=${day}&serviceId=${serviceId}`);
  const event = page.locator(`[data-testid="cal-event"][data-code="${a.code}"]`);
  await expect(event).toBeVisible({ timeout: 15_000 });
  await expect(event).toContainText(customer.name);
  await event.click();
  await expect(page.getByTestId("panel-code")).toHaveText(a.code);
  await page.getByTestId("panel-open-booking").click();

  // Paid at the desk: the cash is recorded (with a note) and confirms the hold, then check in by its code from the overview's box.
  await expect(page.getByTestId("booking-answers")).toContainText("无");
  await page.getByTestId("action-desk-payment").locator('input[name="note"]').fill("到店现金支付");
  await page.getByTestId("action-desk-payment").getByRole("button", { name: "记录收款" }).click();
  await expect(page.getByTestId("booking-status")).toHaveText("已确认");
  await page.goto("/dashboard");
  await page.locator("#check-in-code").fill(a.code.toLowerCase());
  await page.getByTestId("check-in-form").getByRole("button", { name: "核销", exact: true }).click();
  await expect(page.getByTestId("check-in-result")).toContainText(`${a.code} 已签到`);
  await page.getByTestId("check-in-form").getByRole("link").click();
  await expect(page.getByTestId("booking-audit")).toContainText("到店签到");
  await expect(page.getByTestId("booking-audit")).toContainText("到店现金支付");
  await page.getByTestId("action-outcome").getByRole("button", { name: "标记完成" }).click();
  await expect(page.getByTestId("booking-status")).toHaveText("已完成");
  await expect(page.getByTestId("action-notice")).toContainText("已标记完成");

  // The other booking, 3-23 hours ahead and paid ¥100. A goodwill refund first, with its reason.
  await page.goto(`/dashboard/bookings/${b.id}`);
  const refund = page.getByTestId("action-refund");
  await expect(refund).toContainText("¥100.00");
  await refund.locator('input[name="amountFen"]').fill("20");
  await refund.locator('input[name="reason"]').fill("补偿");
  await refund.getByRole("button", { name: "退款" }).click();
  await expect(page.getByTestId("refund-result")).toContainText("退款 ¥20.00 已提交支付渠道");
  await expect(page.getByTestId("booking-refunds")).toContainText("¥20.00");

  // Staff cancelling is the business cancelling: all that is left goes back (the customer's 50% tier does not apply).
  await page.reload();
  await expect(page.getByTestId("refund-preview")).toHaveAttribute("data-percent", "100");
  await expect(page.getByTestId("refund-preview")).toContainText("100% = ¥80.00");
  await page.getByTestId("action-cancel").locator('input[name="reason"]').fill("技师临时请假");
  await page.getByTestId("action-cancel").getByRole("button", { name: "取消预约" }).click();
  await expect(page.getByTestId("action-notice")).toContainText("¥80.00");
  await expect(page.getByTestId("booking-status")).toHaveText("已取消");
  await page.reload();
  await expect(page.getByTestId("booking-refunds")).toContainText("¥80.00");
});

test("staff book an open slot for a customer created on the spot, tag the customer, and close and reopen slots", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const token = (await (await request.post("/api/v1/auth/token", { data: demo.staff })).json()).token as string;
  const staffHeaders = { authorization: `Bearer ${token}` };
  const day = DateTime.now()
    .setZone(ZONE)
    .plus({ days: 2 + Math.floor(Math.random() * 20) })
    .toISODate()!;
  const created = await request.post("/api/v1/staff/services", {
    headers: staffHeaders,
    data: {
      name: unique("代约服务"),
      durationMin: 30,
      priceFen: 0,
      fields: [{ key: "note", type: "text", label: { "zh-CN": "备注", en: "Note" } }],
      schedule: { dateOverrides: { [day]: [{ start: "09:00", end: "12:00" }] }, slotIntervalMin: 30 },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const serviceId = (await created.json()).service.id as string;
  expect(
    (
      await (
        await request.post(`/api/v1/staff/services/${serviceId}/timeslots/generate`, {
          headers: staffHeaders,
          data: { from: day, days: 1 },
        })
      ).json()
    ).created,
  ).toBe(6);

  await signIn(page, demo.staff.email, demo.staff.password, `/dashboard/calendar?view=day&date=${day}&serviceId=${serviceId}`);
  await page.locator('[data-testid="cal-event"][data-kind="slot"]').first().click();
  const panel = page.getByTestId("book-on-behalf");
  await panel.getByRole("button", { name: "新建客户" }).click();
  const name = unique("现场客户");
  await panel.getByLabel("姓名").fill(name);
  await panel.getByLabel("手机号").fill(`136${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`);
  await panel.getByRole("button", { name: "创建客户" }).click();
  await expect(panel.getByTestId("chosen-customer")).toContainText(name);
  await panel.locator('input[name="f_note"]').fill("电话预约");
  await panel.getByRole("button", { name: "为该客户预约" }).click();
  await expect(page.getByTestId("book-result")).toContainText("预约成功");
  await panel.getByRole("link").click();
  await expect(page.getByTestId("booking-status")).toHaveText("已确认");
  await expect(page.getByTestId("booking-answers")).toContainText("电话预约");
  await expect(page.getByTestId("booking-audit")).toContainText("李医生");
  const firstUrl = page.url();
  await page.getByTestId("action-reschedule").locator("select").selectOption({ index: 1 });
  await page.getByTestId("action-reschedule").getByRole("button", { name: "改到新时段" }).click();
  await expect(page).not.toHaveURL(firstUrl);
  await expect(page.getByTestId("booking-status")).toHaveText("已确认");
  await expect(page.getByTestId("booking-audit")).toContainText("改期");

  await page.getByRole("link", { name }).click();
  await page.getByTestId("customer-form").locator('input[name="groups"]').fill("member, vip");
  await page.getByTestId("customer-form").getByRole("button", { name: "保存" }).click();
  await expect(page.getByTestId("customer-result")).toContainText("已保存");
  await expect(page.getByTestId("count-upcoming")).toContainText("1");

  await page.goto(`/dashboard/services/${serviceId}?from=${day}&to=${day}`);
  const list = page.getByTestId("slot-list");
  await list.locator('input[name="slotIds"]').nth(4).check();
  await list.locator('input[name="slotIds"]').nth(5).check();
  await page.getByTestId("close-slots").click();
  await expect(page.getByTestId("slot-status-result")).toContainText("已关闭 2 个时段");
  await expect(list.locator('[data-value="closed"]')).toHaveCount(2);
  const { slots } = await (await request.get(`/api/v1/services/${serviceId}/availability?from=${day}&to=${day}`)).json();
  expect((slots as Slot[]).filter((s) => s.state === "closed")).toHaveLength(2);
  await list.locator('input[name="slotIds"]').nth(4).check();
  await list.locator('input[name="slotIds"]').nth(5).check();
  await page.getByTestId("reopen-slots").click();
  await expect(page.getByTestId("slot-status-result")).toContainText("已重新开放 2 个时段");
  await expect(list.locator('[data-value="closed"]')).toHaveCount(0);
});

test("the rules dry-run explains why a customer could not book, with a draft custom rule that is never saved", async ({ page }) => {
  await signIn(page, demo.staff.email, demo.staff.password, "/dashboard/rules");
  const message = unique("演示规则");
  await page.getByTestId("add-rule").click();
  const rule = page.getByTestId("rule-row").last();
  await rule.getByLabel("规则 ID").fill("demo-closed");
  await rule.getByTestId("condition-row").getByLabel("运算").selectOption("in");
  await rule.getByTestId("condition-row").getByLabel("值").fill("1,2,3,4,5,6,7");
  await rule.getByLabel("提示（中文）").fill(message);
  await rule.getByLabel("提示（英文）").fill("Demo: not this week");

  const dryRun = page.getByTestId("dry-run");
  await dryRun.getByTestId("dry-run-customer-search").fill("13800000001");
  await expect(dryRun.getByTestId("dry-run-customer").locator("option")).toHaveCount(2);
  await dryRun.getByTestId("dry-run-service").selectOption({ label: "中医推拿（60 分钟）" });
  await expect.poll(() => dryRun.getByTestId("dry-run-slot").locator("option").count()).toBeGreaterThan(1);
  await dryRun.getByTestId("dry-run-slot").selectOption({ index: 1 });
  await dryRun.getByRole("button", { name: "检查" }).click();
  const verdict = page.getByTestId("dry-run-verdict");
  await expect(verdict).toHaveAttribute("data-allowed", "false");
  await expect(verdict.locator('[data-rule="custom:demo-closed"]')).toHaveCount(1);
  await expect(verdict).toContainText(message);
  await expect(verdict).not.toContainText("custom:demo-closed");

  // An unsaved policy change counts too: a notice longer than any slot is away refuses it, in Chinese.
  const policy = page.getByTestId("policy-form");
  const notice = policy.locator('input[name="policy-minNoticeMin"]');
  const savedNotice = await notice.inputValue();
  await notice.fill("200000");
  await dryRun.getByRole("button", { name: "检查" }).click();
  await expect(verdict.locator('[data-rule="min_notice"]')).toContainText("需至少提前");

  // Without the drafts only the saved policy and rules apply: both reasons are gone.
  await dryRun.getByLabel("使用正在编辑（未保存）的预约政策和规则").uncheck();
  await dryRun.getByRole("button", { name: "检查" }).click();
  await expect(verdict.locator('[data-rule="custom:demo-closed"]')).toHaveCount(0);
  await expect(verdict.locator('[data-rule="min_notice"]')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("custom-rules")).not.toContainText(message);
  await expect(page.getByTestId("policy-form").locator('input[name="policy-minNoticeMin"]')).toHaveValue(savedNotice);
});

const FAKE_ID = "00000000-0000-4000-8000-000000000000";
const PAGES = [
  "/dashboard",
  "/dashboard/calendar",
  "/dashboard/bookings",
  `/dashboard/bookings/${FAKE_ID}`,
  "/dashboard/inbox",
  "/dashboard/services",
  "/dashboard/services/new",
  `/dashboard/services/${FAKE_ID}`,
  "/dashboard/resources",
  "/dashboard/rules",
  "/dashboard/payments",
  "/dashboard/messages",
  "/dashboard/customers",
  `/dashboard/customers/${FAKE_ID}`,
  "/dashboard/audit",
  "/dashboard/settings",
];

test("a customer is refused every dashboard page, export, staff action and staff API with 403", async ({ page, browser, request }) => {
  test.setTimeout(120_000);
  // A real server action request, captured from staff (check-in of an unknown code)…
  const staffContext = await browser.newContext();
  const staff = await staffContext.newPage();
  await signIn(staff, demo.staff.email, demo.staff.password, "/dashboard");
  const captured = staff.waitForRequest((r) => r.method() === "POST" && r.headers()["next-action"] !== undefined);
  await staff.locator("#check-in-code").fill("ZZZZ2222");
  await staff.getByTestId("check-in-form").getByRole("button", { name: "核销", exact: true }).click();
  const action = await captured;
  await expect(staff.getByTestId("check-in-result")).toContainText("预约不存在");
  await staffContext.close();

  await signIn(page, demo.customer.email, demo.customer.password);
  for (const path of PAGES) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(403);
    await expect(page.getByTestId("forbidden")).toBeVisible();
  }
  for (const path of ["/dashboard/export/bookings", "/dashboard/export/payments"]) {
    expect((await page.request.get(path)).status(), path).toBe(403);
  }
  // …replayed with the customer's session: the action itself refuses, not just the page around it.
  const replay = await page.request.post(action.url(), {
    headers: {
      "next-action": action.headers()["next-action"]!,
      "content-type": action.headers()["content-type"]!,
      accept: "text/x-component",
    },
    data: action.postDataBuffer() ?? "",
  });
  expect(replay.status()).toBe(403);

  const token = (await (await request.post("/api/v1/auth/token", { data: demo.customer })).json()).token as string;
  const headers = { authorization: `Bearer ${token}` };
  const calls: [string, string, unknown][] = [
    ["GET", "/api/v1/staff/bookings", undefined],
    ["POST", "/api/v1/staff/bookings", { timeslotId: FAKE_ID, customerId: FAKE_ID }],
    ["GET", `/api/v1/staff/bookings/${FAKE_ID}`, undefined],
    ["POST", `/api/v1/staff/bookings/${FAKE_ID}/confirm`, { reason: "x" }],
    ["POST", `/api/v1/staff/bookings/${FAKE_ID}/complete`, {}],
    ["POST", `/api/v1/staff/bookings/${FAKE_ID}/no-show`, {}],
    ["POST", `/api/v1/staff/bookings/${FAKE_ID}/cancel`, { reason: "x" }],
    ["POST", "/api/v1/staff/check-in", { code: "ZZZZ2222" }],
    ["POST", "/api/v1/staff/timeslots/status", { slotIds: [FAKE_ID], status: "closed" }],
    ["POST", "/api/v1/staff/services", { name: "x", durationMin: 30 }],
  ];
  for (const [method, path, data] of calls) {
    const res = method === "GET" ? await request.get(path, { headers }) : await request.post(path, { headers, data });
    expect(res.status(), `${method} ${path}`).toBe(403);
    expect((await res.json()).error.code).toBe("FORBIDDEN");
  }
});

test("staff who are not admins get 403 on settings; admins see it", async ({ page }) => {
  await signIn(page, demo.staff.email, demo.staff.password);
  expect((await page.goto("/dashboard/settings"))?.status()).toBe(403);
  await expect(page.getByTestId("dash-nav-settings")).toHaveCount(0);
  await page.context().clearCookies();
  await signIn(page, demo.admin.email, demo.admin.password, "/dashboard/settings");
  await expect(page.getByTestId("settings-title")).toBeVisible();
  await expect(page.getByTestId("config-payments")).toContainText("alipay");
});
