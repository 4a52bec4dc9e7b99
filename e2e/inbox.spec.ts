import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { demo, registerByEmail, signIn, unique, uniquePhone, verifyPhone } from "./helpers";

const PASSWORD = "password-123";
const confirmation = /预约成功|Booking confirmed/;

/** A local date in the business's zone, `offset` days from today. */
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toLocaleDateString("en-CA", { timeZone: "Asia/Shanghai" });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Signs up a brand-new customer through the form; the browser ends up signed in. */
async function signUp(page: Page): Promise<{ phone: string }> {
  const phone = uniquePhone();
  await page.goto("/signup");
  await page.getByLabel("姓名").fill(unique("收件人"));
  await verifyPhone(page, phone);
  await page.getByLabel("密码").fill(PASSWORD);
  await page.getByRole("checkbox", { name: /隐私政策/ }).check();
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page).toHaveURL(/\/me$/);
  return { phone };
}

async function register(request: APIRequestContext): Promise<string> {
  const res = await registerByEmail(request, { email: `${unique("inbox")}@example.com`, password: PASSWORD, name: unique("接口") });
  expect(res.status()).toBe(201);
  return (await res.json()).token as string;
}

/** Books the free consultation at a random open slot 2-20 days ahead (another test may take one first). */
async function bookConsultation(request: APIRequestContext, token: string): Promise<string> {
  const services = (await (await request.get("/api/v1/services")).json()).services as { id: string; priceFen: number; kind: string }[];
  const consult = services.find((s) => s.kind === "consultation" && s.priceFen === 0);
  expect(consult).toBeDefined();
  for (let attempt = 0; attempt < 5; attempt++) {
    const res = await request.get(`/api/v1/services/${consult!.id}/availability?from=${day(2)}&to=${day(20)}`, { headers: bearer(token) });
    expect(res.status()).toBe(200);
    const open = ((await res.json()).slots as { id: string; state: string }[]).filter((s) => s.state === "open");
    expect(open.length).toBeGreaterThan(0);
    const slot = open[Math.floor(Math.random() * open.length)]!;
    const booked = await request.post("/api/v1/bookings", {
      headers: bearer(token),
      data: { timeslotId: slot.id, fields: { topic: "e2e inbox" } },
    });
    if (booked.status() === 201) return (await booked.json()).booking.id as string;
    expect([409, 422]).toContain(booked.status());
  }
  throw new Error("no consultation slot could be booked");
}

test.describe("in-app inbox", () => {
  test("staff get a copy of a new booking in their inbox inside the dashboard", async ({ page, request }) => {
    const name = unique("员工副本");
    const res = await registerByEmail(request, { email: `${unique("copy")}@example.com`, password: PASSWORD, name });
    await bookConsultation(request, (await res.json()).token as string);
    await signIn(page, demo.staff.email, demo.staff.password, "/dashboard/inbox");
    await page.getByTestId("dash-nav-inbox").click();
    await expect(page).toHaveURL(/\/dashboard\/inbox$/);
    // Delivery runs on the job worker: reload until the copy has arrived.
    await expect(async () => {
      await page.reload();
      await expect(page.getByText(`新预约：${name}`, { exact: false }).first()).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
  });

  test("the booking confirmation reaches the inbox and the header count drops when it is read", async ({ page, request }) => {
    const { phone } = await signUp(page);
    await expect(page.getByTestId("inbox-unread")).toHaveCount(0);
    const token = (await (await request.post("/api/v1/auth/token", { data: { phone, password: PASSWORD } })).json()).token as string;
    await bookConsultation(request, token);

    // The in-app delivery runs on the job worker: reload until it has arrived.
    const item = page.getByTestId("inbox-item").filter({ hasText: confirmation });
    await expect(async () => {
      await page.goto("/me/inbox");
      await expect(item).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 25_000, intervals: [500, 1_000, 2_000] });
    await expect(item).toHaveAttribute("data-unread", "true");

    const badge = page.getByTestId("inbox-unread");
    await expect(badge).toBeVisible();
    const before = Number(await badge.textContent());
    expect(before).toBeGreaterThanOrEqual(1);

    await item.getByTestId("inbox-mark-read").click();
    await expect(item).toHaveAttribute("data-unread", "false");
    if (before === 1) await expect(badge).toHaveCount(0);
    else await expect(badge).toHaveText(String(before - 1));
    await page.reload();
    await expect(item).toHaveAttribute("data-unread", "false");
  });

  test("a new customer sees an empty inbox, and settings save channels with the fallback explained", async ({ page }) => {
    await signUp(page);
    await page.goto("/me/inbox");
    await expect(page.getByTestId("inbox-empty")).toBeVisible();
    await page.getByRole("link", { name: "通知设置" }).click();
    await expect(page).toHaveURL(/\/me\/settings$/);
    await expect(page.getByTestId("pref-fallback")).toContainText("站内消息始终可用");
    await expect(page.getByText("你的账户没有邮箱")).toBeVisible();

    for (const c of ["email", "sms", "inApp"]) await page.getByTestId(`pref-${c}`).uncheck();
    await page.getByRole("button", { name: "保存" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "至少选择一种通知方式" })).toBeVisible();

    await page.getByTestId("pref-sms").check();
    await page.getByRole("radio", { name: "English" }).check();
    await page.getByRole("button", { name: "保存" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Settings");
    await expect(page.getByTestId("pref-sms")).toBeChecked();
    await expect(page.getByTestId("pref-email")).not.toBeChecked();
  });

  test("API: the caller's notifications with a Bearer token, mark read, others' ids not found", async ({ request }) => {
    expect((await request.get("/api/v1/notifications")).status()).toBe(401);
    const token = await register(request);
    await bookConsultation(request, token);

    type Message = { id: string; type: string; channel: string; title: string; body: string; readAt: string | null; createdAt: string };
    let message: Message | undefined;
    await expect(async () => {
      const res = await request.get("/api/v1/notifications", { headers: bearer(token) });
      expect(res.status()).toBe(200);
      message = ((await res.json()).notifications as Message[]).find((n) => n.type === "booking_confirmed");
      expect(message).toBeDefined();
    }).toPass({ timeout: 25_000, intervals: [500, 1_000, 2_000] });
    expect(message).toMatchObject({ channel: "in_app", readAt: null });
    expect(message!.title).toMatch(confirmation);
    const unreadBefore = (await (await request.get("/api/v1/notifications", { headers: bearer(token) })).json()).unread as number;
    expect(unreadBefore).toBeGreaterThanOrEqual(1);

    const read = await request.post(`/api/v1/notifications/${message!.id}/read`, { headers: bearer(token) });
    expect(read.status()).toBe(200);
    const body = await read.json();
    expect(body.notification).toMatchObject({ id: message!.id, channel: "in_app" });
    expect(body.notification.readAt).not.toBeNull();
    expect(body.unread).toBe(unreadBefore - 1);
    const again = await (await request.post(`/api/v1/notifications/${message!.id}/read`, { headers: bearer(token) })).json();
    expect(again.notification.readAt).toBe(body.notification.readAt);

    const stranger = await register(request);
    const theirs = await request.post(`/api/v1/notifications/${message!.id}/read`, { headers: bearer(stranger) });
    expect(theirs.status()).toBe(404);
    expect((await theirs.json()).error).toMatchObject({ code: "NOT_FOUND" });
    expect((await request.post("/api/v1/notifications/not-an-id/read", { headers: bearer(stranger) })).status()).toBe(404);
    expect((await (await request.get("/api/v1/notifications", { headers: bearer(stranger) })).json()).notifications).toEqual([]);
  });

  test("API: staff read the outbox with its delivery history; customers are refused", async ({ request }) => {
    const customer = await register(request);
    await bookConsultation(request, customer);
    expect((await request.get("/api/v1/staff/outbox", { headers: bearer(customer) })).status()).toBe(403);
    const staff = (await (await request.post("/api/v1/auth/token", { data: demo.staff })).json()).token as string;
    type Entry = { id: string; status: string; channel: string; deliveries: { attempt: number; outcome: string }[] };
    await expect(async () => {
      const res = await request.get("/api/v1/staff/outbox?status=sent&limit=100", { headers: bearer(staff) });
      expect(res.status()).toBe(200);
      const sent = (await res.json()).notifications as Entry[];
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.every((e) => e.status === "sent")).toBe(true);
      expect(sent.some((e) => e.deliveries.some((d) => d.outcome === "sent" && d.attempt >= 1))).toBe(true);
    }).toPass({ timeout: 25_000, intervals: [500, 1_000, 2_000] });
    const bad = await request.get("/api/v1/staff/outbox?status=lost", { headers: bearer(staff) });
    expect(bad.status()).toBe(400);
    expect((await bad.json()).error.code).toBe("VALIDATION_FAILED");
  });
});
