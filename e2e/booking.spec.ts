import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { DateTime } from "luxon";
import { pickerReady, registerByEmail, signIn, unique, uniquePhone, verifyPhone } from "./helpers";

/**
 * Booking through the customer UI. Tests run in parallel on one freshly seeded database, so each
 * test signs up its own customers and picks a random open consultation slot 2-26 days ahead (the
 * seed generates 28 days; the policy allows 30 days ahead and needs 60 minutes' notice).
 */

const ZONE = "Asia/Shanghai";
const PASSWORD = "password-123";

type ApiSlot = { id: string; startsAt: string; endsAt: string; capacity: number; remaining: number; state?: string };

const localDate = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toISODate() ?? "";
const localTime = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toFormat("HH:mm");

async function consultationId(request: APIRequestContext): Promise<string> {
  const res = await request.get("/api/v1/services");
  expect(res.status()).toBe(200);
  const { services } = (await res.json()) as { services: { id: string; name: string }[] };
  const found = services.find((s) => s.name.startsWith("免费健康咨询"));
  expect(found, "seeded free consultation").toBeTruthy();
  return found!.id;
}

async function randomOpenSlot(request: APIRequestContext, serviceId: string, avoid: Set<string> = new Set()): Promise<ApiSlot> {
  const today = DateTime.now().setZone(ZONE).startOf("day");
  const from = today.plus({ days: 2 }).toISODate();
  const to = today.plus({ days: 26 }).toISODate();
  const res = await request.get(`/api/v1/services/${serviceId}/availability?from=${from}&to=${to}`);
  expect(res.status()).toBe(200);
  const { slots } = (await res.json()) as { slots: ApiSlot[] };
  const open = slots.filter((s) => s.remaining > 0 && (s.state ?? "open") === "open" && !avoid.has(s.id));
  expect(open.length).toBeGreaterThan(0);
  return open[Math.floor(Math.random() * open.length)]!;
}

async function registerCustomer(request: APIRequestContext) {
  const email = `${unique("book")}@example.com`;
  const res = await registerByEmail(request, { email, password: PASSWORD, name: unique("顾客") });
  expect(res.status()).toBe(201);
  const { token } = (await res.json()) as { token: string };
  return { email, token };
}

/** Books a random open slot over the REST API, trying another one if a parallel test took it first. */
async function bookSomeSlot(
  request: APIRequestContext,
  token: string,
  serviceId: string,
  avoid: Set<string> = new Set(),
): Promise<ApiSlot> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const slot = await randomOpenSlot(request, serviceId, avoid);
    const res = await request.post("/api/v1/bookings", {
      headers: { authorization: `Bearer ${token}` },
      data: { timeslotId: slot.id, fields: {} },
    });
    if (res.status() === 201) {
      avoid.add(slot.id);
      return slot;
    }
    expect(res.status(), await res.text()).toBe(409);
  }
  throw new Error("could not book a slot in 5 attempts");
}

const slotCell = (page: Page, slotId: string) => page.locator(`[data-slot-id="${slotId}"]`);
const bookingForm = (page: Page) => page.getByRole("form", { name: "填写预约信息" });

test("a customer books a free consultation through the calendar and finds it under my bookings", async ({ page, request, isMobile }) => {
  const serviceId = await consultationId(request);
  const slot = await randomOpenSlot(request, serviceId);

  await page.goto("/signup");
  await page.getByLabel("姓名").fill(unique("顾客"));
  await verifyPhone(page, uniquePhone());
  await page.getByLabel("密码").fill(PASSWORD);
  await page.getByRole("checkbox", { name: /隐私政策/ }).check();
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByTestId("upcoming-bookings")).toContainText("还没有即将到来的预约");

  await page.goto(`/services/${serviceId}?date=${localDate(slot.startsAt)}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("免费健康咨询（20 分钟）");
  // Phones get the date strip; wider screens the month grid beside the times.
  await expect(page.getByTestId(isMobile ? "date-strip" : "month-grid")).toBeVisible();
  await expect(page.getByTestId(isMobile ? "month-grid" : "date-strip")).toBeHidden();
  const cell = slotCell(page, slot.id);
  await expect(cell).toHaveAttribute("data-state", "open");
  await expect(cell).toContainText("剩 1 位");
  await pickerReady(page);
  await cell.click();

  await expect(page.getByTestId("slot-time")).toContainText(localTime(slot.startsAt));
  const form = bookingForm(page);
  await form.getByLabel("想咨询的问题").fill("最近睡眠不好，想了解调理方法");
  await form.getByRole("button", { name: "立即预约" }).click();

  await expect(page).toHaveURL(/\/bookings\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("booking-title")).toHaveText("预约成功");
  await expect(page.getByText("出示此码核销")).toBeVisible();
  await expect(page.getByTestId("booking-status")).toHaveText("已确认");
  await expect(page.getByTestId("booking-time")).toContainText(`${localTime(slot.startsAt)}–${localTime(slot.endsAt)}`);
  await expect(page.getByTestId("booking-amount")).toHaveText("免费");
  await expect(page.getByText("最近睡眠不好，想了解调理方法")).toBeVisible();
  const code = (await page.getByTestId("booking-code").textContent())?.trim() ?? "";
  expect(code).not.toBe("");

  await page.getByRole("link", { name: "我的预约" }).first().click();
  await expect(page).toHaveURL(/\/me$/);
  const item = page.getByTestId("upcoming-bookings").getByTestId("booking-item").filter({ hasText: code });
  await expect(item).toContainText("免费健康咨询（20 分钟）");
  await expect(item).toContainText(localTime(slot.startsAt));
  await expect(item.getByTestId("booking-status")).toHaveText("已确认");
});

test("a slot someone else booked shows as full and cannot be booked", async ({ page, request }) => {
  const serviceId = await consultationId(request);
  const first = await registerCustomer(request);
  const slot = await bookSomeSlot(request, first.token, serviceId);
  const url = `/services/${serviceId}?date=${localDate(slot.startsAt)}`;

  // Anonymous visitors see it full too, and are asked to sign in for the open ones.
  await page.goto(url);
  await expect(page.getByTestId("sign-in-prompt")).toBeVisible();
  await expect(slotCell(page, slot.id)).toHaveAttribute("data-state", "full");

  const second = await registerCustomer(request);
  await signIn(page, second.email, PASSWORD, url);
  const cell = slotCell(page, slot.id);
  await expect(cell).toHaveAttribute("data-state", "full");
  await expect(cell).toContainText("已约满");
  await pickerReady(page);
  await cell.click();
  const details = page.getByTestId("slot-details");
  await expect(details).toHaveAttribute("data-state", "full");
  await expect(details.getByTestId("slot-reasons")).toContainText("该时段已约满");
  await expect(bookingForm(page)).toHaveCount(0);
});

test("a rule violation is explained: by the server on submit, then on the calendar", async ({ page, request }) => {
  const serviceId = await consultationId(request);
  const customer = await registerCustomer(request);
  const mine = new Set<string>();
  // The seeded policy allows 5 active bookings per customer: take 4, so the form still opens for a 5th.
  for (let i = 0; i < 4; i++) await bookSomeSlot(request, customer.token, serviceId, mine);
  const target = await randomOpenSlot(request, serviceId, mine);
  const url = `/services/${serviceId}?date=${localDate(target.startsAt)}`;

  await signIn(page, customer.email, PASSWORD, url);
  await pickerReady(page);
  await slotCell(page, target.id).click();
  const form = bookingForm(page);
  await expect(form).toBeVisible();

  await form.getByLabel("想咨询的问题").fill("想了解针灸");

  // Meanwhile (another tab, the app) the customer reaches the limit.
  await bookSomeSlot(request, customer.token, serviceId, new Set([...mine, target.id]));
  await form.getByRole("button", { name: "立即预约" }).click();
  const error = page.getByTestId("booking-error");
  await expect(error).toContainText("暂时无法预约这个时段");
  await expect(error).toContainText("您已有 5 个进行中的预约，上限为 5 个");
  // What was typed is still there.
  await expect(form.getByLabel("想咨询的问题")).toHaveValue("想了解针灸");
  await expect(page).toHaveURL(new RegExp(`/services/${serviceId}`));

  // A fresh calendar shows the slot disabled with the same reason before anything is submitted.
  await page.reload();
  const cell = slotCell(page, target.id);
  // "full" if a parallel test has taken the seat since: the reasons still list the limit.
  await expect(cell).toHaveAttribute("data-state", /^(unavailable|full)$/);
  await pickerReady(page);
  await cell.click();
  await expect(page.getByTestId("slot-reasons")).toContainText("您已有 5 个进行中的预约，上限为 5 个");
  await expect(bookingForm(page)).toHaveCount(0);
});

test("cancelling shows the refund the policy gives before confirming", async ({ page, request }) => {
  const serviceId = await consultationId(request);
  const customer = await registerCustomer(request);
  const slot = await bookSomeSlot(request, customer.token, serviceId);

  await signIn(page, customer.email, PASSWORD, "/me");
  const item = page.getByTestId("upcoming-bookings").getByTestId("booking-item");
  await expect(item).toHaveCount(1);
  await expect(item).toContainText(localTime(slot.startsAt));
  await item.getByRole("button", { name: "取消预约" }).click();

  const confirm = item.getByTestId("cancel-confirm");
  // A free consultation: nothing was paid, so no refund is quoted.
  await expect(item.getByTestId("money-status")).toHaveText("免费");
  await expect(confirm.getByTestId("refund-quote")).toHaveCount(0);
  await expect(confirm).toContainText("取消截止时间");
  await expect(item.getByTestId("booking-status")).toHaveText("已确认");
  await confirm.getByRole("button", { name: "确认取消" }).click();

  await expect(page.getByTestId("upcoming-bookings")).toContainText("还没有即将到来的预约");
  const past = page.getByTestId("past-bookings").getByTestId("booking-item");
  await expect(past).toHaveCount(1);
  await expect(past.getByTestId("booking-status")).toHaveText("已取消");
});

test("reschedule moves a booking to another slot of the same service", async ({ page, request }) => {
  const serviceId = await consultationId(request);
  const customer = await registerCustomer(request);
  const mine = new Set<string>();
  const booked = await bookSomeSlot(request, customer.token, serviceId, mine);
  const target = await randomOpenSlot(request, serviceId, mine);

  await signIn(page, customer.email, PASSWORD, "/me");
  const item = page.getByTestId("upcoming-bookings").getByTestId("booking-item");
  const code = (await item.getByTestId("booking-item-code").getAttribute("data-code")) ?? "";
  expect(code).not.toBe("");
  await item.getByRole("link", { name: "改期" }).click();
  await expect(page).toHaveURL(/\/reschedule$/);
  const oldPath = new URL(page.url()).pathname.replace(/\/reschedule$/, "");
  await expect(page.getByTestId("current-slot")).toContainText(localTime(booked.startsAt));

  await page.goto(`${new URL(page.url()).pathname}?date=${localDate(target.startsAt)}`);
  await pickerReady(page);
  await slotCell(page, target.id).click();
  await page.getByRole("button", { name: "改到这个时段" }).click();
  await expect(page).toHaveURL(/\/bookings\/[0-9a-f-]{36}\?rescheduled=1$/);
  await expect(page.getByText("改期成功")).toBeVisible();
  await expect(page.getByTestId("booking-time")).toContainText(`${localTime(target.startsAt)}–${localTime(target.endsAt)}`);
  await expect(page.getByTestId("booking-status")).toHaveText("已确认");
  // Still one appointment: the same code, the old link leads to the live booking, one item in my bookings.
  await expect(page.getByTestId("booking-code")).toHaveText(code);
  const livePath = new URL(page.url()).pathname;
  expect(livePath).not.toBe(oldPath);
  await page.goto(oldPath);
  await expect(page).toHaveURL(new RegExp(`${livePath}\\?rescheduled=1$`));
  await page.goto("/me");
  await expect(page.getByTestId("booking-item")).toHaveCount(1);
  await expect(page.getByTestId("booking-item")).toContainText(code);
  await expect(page.getByText("已取消")).toHaveCount(0);
});

test("the second seat of a class with a room books through the calendar", async ({ page, request }) => {
  const services = (await (await request.get("/api/v1/services")).json()).services as { id: string; name: string; capacity: number }[];
  const yoga = services.find((s) => s.name.startsWith("晨间流瑜伽"));
  expect(yoga?.capacity).toBe(8);
  const first = await registerCustomer(request);
  let slot: ApiSlot | undefined;
  for (let attempt = 0; attempt < 5 && !slot; attempt++) {
    const candidate = await randomOpenSlot(request, yoga!.id);
    const res = await request.post("/api/v1/bookings", {
      headers: { authorization: `Bearer ${first.token}` },
      data: { timeslotId: candidate.id, fields: { level: "beginner" } },
    });
    if (res.status() === 201) slot = candidate;
  }
  expect(slot, "a yoga seat booked by the first customer").toBeDefined();
  const day = localDate(slot!.startsAt);
  const remainingNow = async () => {
    const { slots } = await (await request.get(`/api/v1/services/${yoga!.id}/availability?from=${day}&to=${day}`)).json();
    return (slots as ApiSlot[]).find((s) => s.id === slot!.id)!;
  };
  const before = await remainingNow();
  expect(before).toMatchObject({ state: "open" });
  expect(before.remaining).toBeLessThanOrEqual(7);
  expect(before.remaining).toBeGreaterThan(0);

  const second = await registerCustomer(request);
  await signIn(page, second.email, PASSWORD, `/services/${yoga!.id}?date=${day}`);
  const cell = slotCell(page, slot!.id);
  await expect(cell).toHaveAttribute("data-state", "open");
  await expect(cell).toContainText(`剩 ${before.remaining} 位`);
  await pickerReady(page);
  await cell.click();
  const form = bookingForm(page);
  await form.getByLabel("练习水平").selectOption({ label: "初级" });
  await form.getByRole("button", { name: "立即预约" }).click();
  await expect(page).toHaveURL(/\/bookings\/[0-9a-f-]{36}/);
  await expect(page.getByTestId("booking-status")).toHaveText("待支付");
  expect((await remainingNow()).remaining).toBe(before.remaining - 1);
});
