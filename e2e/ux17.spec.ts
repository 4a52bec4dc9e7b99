import { expect, test, type APIRequestContext } from "@playwright/test";
import { DateTime } from "luxon";
import { demo, payInSandbox, registerByEmail, signIn, unique } from "./helpers";

/**
 * Issue 17's remaining items on a phone: the money status by state (已付定金 → 退款中/已退款) for
 * the customer and staff, the unread badge after navigating and after reading, 标记完成 only after
 * the start, staff landing on /dashboard, and the language switch reaching the account's messages.
 */
const PASSWORD = "password-123";
const ZONE = "Asia/Shanghai";

type Booking = { id: string; code: string; status: string };

async function customer(request: APIRequestContext) {
  const email = `${unique("ux")}@example.com`;
  const res = await registerByEmail(request, { email, password: PASSWORD, name: unique("顾客") });
  expect(res.status()).toBe(201);
  const { token } = (await res.json()) as { token: string };
  return { email, headers: { authorization: `Bearer ${token}` } };
}

/** Books a random open slot of the service with this deposit (tuina: 5000; the free consultation: 0) 3-25 days ahead. */
async function book(request: APIRequestContext, headers: Record<string, string>, priceFen: number): Promise<Booking> {
  const services = (await (await request.get("/api/v1/services")).json()).services as {
    id: string;
    priceFen: number;
    depositFen: number;
    fields: { key: string }[];
  }[];
  const service = services.find((s) => (priceFen === 0 ? s.priceFen === 0 : s.depositFen === 5000))!;
  const fields = Object.fromEntries(service.fields.map((f) => [f.key, f.key === "symptoms" ? "肩颈酸痛" : "e2e"]));
  delete fields.firstVisit;
  for (let attempt = 0; attempt < 20; attempt++) {
    const day = DateTime.now()
      .setZone(ZONE)
      .plus({ days: 3 + Math.floor(Math.random() * 22) })
      .toISODate();
    const { slots } = await (await request.get(`/api/v1/services/${service.id}/availability?from=${day}&to=${day}`)).json();
    const open = (slots as { id: string; state: string }[]).filter((s) => s.state === "open");
    const slot = open[Math.floor(Math.random() * open.length)];
    if (!slot) continue;
    const res = await request.post("/api/v1/bookings", { headers, data: { timeslotId: slot.id, fields } });
    if (res.status() === 201) return (await res.json()).booking as Booking;
  }
  throw new Error("no open slot found");
}

test("money by status: 已付定金 after paying, then the refund, for the customer and for staff", async ({ page, context, request }) => {
  test.setTimeout(150_000);
  const { email, headers } = await customer(request);
  const booking = await book(request, headers, 5000);
  await payInSandbox(context, request, headers, booking.id);

  await signIn(page, email, PASSWORD, "/me");
  const item = page.getByTestId("booking-item").filter({ hasText: booking.code });
  await expect(item.getByTestId("money-status")).toHaveText("已付定金 ¥50.00，余款 ¥238.00 到店付");
  await page.goto(`/bookings/${booking.id}`);
  await expect(page.getByTestId("booking-amount")).toHaveText("已付定金 ¥50.00，余款 ¥238.00 到店付");
  await expect(page.getByText("应付")).toHaveCount(0);

  expect((await request.post(`/api/v1/bookings/${booking.id}/cancel`, { headers, data: {} })).status()).toBe(200);
  // The refund goes out on the job worker: 退款中 until the gateway settles it, then 已退款.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("booking-amount")).toHaveText(/^(退款中|已退款) ¥50\.00$/, { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("booking-amount")).toHaveText("已退款 ¥50.00", { timeout: 1_000 });
  }).toPass({ timeout: 45_000 });

  await page.context().clearCookies();
  await signIn(page, demo.staff.email, demo.staff.password, `/dashboard/bookings?q=${booking.code}`);
  await expect(page.getByTestId("booking-row").filter({ hasText: booking.code }).getByTestId("money-status")).toHaveText("已退款 ¥50.00");
  await page.goto(`/dashboard/bookings/${booking.id}`);
  await expect(page.getByTestId("money-status")).toHaveText("已退款 ¥50.00");
});

test("a free booking shows 免费 and quotes no refund", async ({ page, request }) => {
  const { email, headers } = await customer(request);
  const booking = await book(request, headers, 0);
  await signIn(page, email, PASSWORD, `/bookings/${booking.id}`);
  await expect(page.getByTestId("booking-amount")).toHaveText("免费");
  await page.getByRole("button", { name: "取消预约" }).click();
  await expect(page.getByTestId("cancel-confirm")).toBeVisible();
  await expect(page.getByTestId("refund-quote")).toHaveCount(0);
});

test("the unread badge follows navigation and reading; messages are cards with working links", async ({ page, request }) => {
  const { email, headers } = await customer(request);
  await signIn(page, email, PASSWORD, "/me");
  await expect(page.getByTestId("inbox-unread")).toHaveCount(0);
  const booking = await book(request, headers, 0);
  // The confirmation reaches the inbox on the job worker; moving around the site (no reload) shows it.
  await expect(async () => {
    await page.getByRole("banner").getByRole("link", { name: "服务", exact: true }).click();
    await page.getByTestId("nav-me").click();
    await expect(page.getByTestId("inbox-unread")).toBeVisible({ timeout: 1_500 });
  }).toPass({ timeout: 30_000 });
  const before = Number(await page.getByTestId("inbox-unread").textContent());

  await page.getByTestId("nav-inbox").click();
  const card = page.getByTestId("inbox-item").filter({ hasText: "预约成功" }).first();
  await expect(card.getByTestId("inbox-link-view")).toHaveAttribute("href", `/bookings/${booking.id}`);
  await expect(card.getByTestId("inbox-link-reschedule")).toHaveAttribute("href", `/bookings/${booking.id}/reschedule`);
  await card.getByTestId("inbox-mark-read").click();
  await expect(card).toHaveAttribute("data-unread", "false");
  if (before === 1) await expect(page.getByTestId("inbox-unread")).toHaveCount(0);
  else await expect(page.getByTestId("inbox-unread")).toHaveText(String(before - 1));

  await card.getByTestId("inbox-link-view").click();
  await expect(page).toHaveURL(new RegExp(`/bookings/${booking.id}$`));
  await expect(page.getByTestId("booking-code")).toHaveText(booking.code);
});

test("标记完成 is not offered before the booking starts, and the server refuses it too", async ({ page, request }) => {
  const { headers } = await customer(request);
  const booking = await book(request, headers, 0);
  await signIn(page, demo.staff.email, demo.staff.password, `/dashboard/bookings/${booking.id}`);
  const outcome = page.getByTestId("action-outcome");
  await expect(outcome).toBeVisible();
  await expect(outcome.getByRole("button", { name: "标记完成" })).toHaveCount(0);
  await expect(outcome.getByTestId("complete-after-start")).toBeVisible();

  const staffToken = (await (await request.post("/api/v1/auth/token", { data: demo.staff })).json()).token as string;
  const res = await request.post(`/api/v1/staff/bookings/${booking.id}/complete`, {
    headers: { authorization: `Bearer ${staffToken}` },
    data: {},
  });
  expect(res.status()).toBe(409);
  expect((await res.json()).error.code).toBe("INVALID_STATE");
});

test("staff land on /dashboard after signing in, customers on their bookings", async ({ page, request }) => {
  await signIn(page, demo.staff.email, demo.staff.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("dashboard-title")).toBeVisible({ timeout: 30_000 });
  await page.context().clearCookies();
  const { email } = await customer(request);
  await signIn(page, email, PASSWORD);
  await expect(page).toHaveURL(/\/me$/);
});

test("the language switch also sets the account's language: settings and new messages follow", async ({ page, request }) => {
  const { email, headers } = await customer(request);
  await signIn(page, email, PASSWORD, "/me");
  await page.getByTestId("switch-locale").click();
  await expect(page.getByTestId("switch-locale")).toHaveText("中文");
  await page.goto("/me/settings");
  await expect(page.getByRole("radio", { name: "English" })).toBeChecked();

  await book(request, headers, 0);
  await expect
    .poll(
      async () =>
        ((await (await request.get("/api/v1/notifications", { headers })).json()).notifications as { type: string; title: string }[])
          .filter((n) => n.type === "booking_confirmed")
          .map((n) => n.title),
      { timeout: 30_000 },
    )
    .toEqual([expect.stringMatching(/^Booking confirmed/)]);
});
