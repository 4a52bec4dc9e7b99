import { expect, type APIRequestContext, type BrowserContext, type Locator, type Page } from "@playwright/test";
import { DateTime } from "luxon";

export const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;

/** A mainland mobile number nobody else in this run has. */
export const uniquePhone = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;

export async function signIn(page: Page, identifier: string, password: string, callbackUrl?: string) {
  await page.goto(callbackUrl ? `/signin?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/signin");
  await page.getByLabel(/邮箱或手机号|Email or phone/).fill(identifier);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  await page.getByRole("button", { name: /^(登录|Sign in)$/ }).click();
  await expect(page).not.toHaveURL(/\/signin/);
}

export const demo = {
  customer: { email: "customer@yuyue.demo", password: "demo1234" },
  staff: { email: "staff@yuyue.demo", password: "demo1234" },
  admin: { email: "admin@yuyue.demo", password: "demo1234" },
};

/**
 * Approves the order on the sandbox cashier and closes it once its answer has loaded. Closing
 * while the form's navigation is still committing can leave Chromium's page.close() waiting
 * forever (microsoft/playwright#42068, #42366), so the close waits for the cashier to leave.
 */
export async function approveInCashier(cashier: Page) {
  await cashier.getByRole("button", { name: /Approve/ }).click();
  await cashier.waitForURL((url) => !url.pathname.endsWith("/cashier"));
  await cashier.waitForLoadState("load");
  await cashier.close();
}

/**
 * Pays a booking through the sandbox gateway (the real SDK code on both sides): the order by API,
 * approved on the sandbox cashier in a second tab, then waits for the notify to confirm it. Returns the order.
 */
export async function payInSandbox(
  context: BrowserContext,
  request: APIRequestContext,
  headers: Record<string, string>,
  bookingId: string,
  provider: "alipay" | "wechat" = "alipay",
) {
  const res = await request.post(`/api/v1/bookings/${bookingId}/pay`, { headers, data: { provider } });
  expect(res.status(), await res.text()).toBe(201);
  const order = await res.json();
  const cashier = await context.newPage();
  await cashier.goto(order.payUrl ?? order.h5Url ?? order.codeUrl);
  await approveInCashier(cashier);
  await expect
    .poll(async () => (await (await request.get(`/api/v1/bookings/${bookingId}`, { headers })).json()).booking.status, { timeout: 60_000 })
    .toBe("confirmed");
  return order;
}

let staffToken: Promise<string> | undefined;

type DevMessage = { id?: string; idempotencyKey: string; text: string; sms?: { params: Record<string, string> } };

/**
 * The verification messages sent to a number or an address, read from the dev SMS/mail transports of
 * the e2e server (the embedded default has no provider) through the staff-only dev messages endpoint.
 */
async function devCodeMessages(request: APIRequestContext, to: string, channel: "sms" | "email" = "sms"): Promise<DevMessage[]> {
  staffToken ??= request
    .post("/api/v1/auth/token", { data: { email: demo.staff.email, password: demo.staff.password } })
    .then(async (res) => ((await res.json()) as { token: string }).token);
  const token = await staffToken;
  // A reset keep-alive socket is only a missed poll.
  const res = await request
    .get(`/api/v1/staff/dev-messages?channel=${channel}&to=${encodeURIComponent(to)}`, { headers: { authorization: `Bearer ${token}` } })
    .catch(() => null);
  if (!res?.ok()) return [];
  const { messages } = (await res.json()) as { messages: DevMessage[] };
  return messages.filter((m) => m.idempotencyKey.startsWith("otp:"));
}
const devOtpMessages = (request: APIRequestContext, phone: string) => devCodeMessages(request, phone, "sms");

/** The newest sign-up code mailed to the address, skipping the mails (by message key) already seen before asking. */
export async function mailedCode(request: APIRequestContext, email: string, seen: ReadonlySet<string> = new Set()): Promise<string> {
  let code: string | undefined;
  await expect
    .poll(
      async () => {
        const mail = (await devCodeMessages(request, email.toLowerCase(), "email")).find((m) => !seen.has(m.idempotencyKey));
        code = mail ? /\b(\d{6})\b/.exec(mail.text)?.[1] : undefined;
        return code;
      },
      { timeout: 20_000 },
    )
    .toMatch(/^\d{6}$/);
  return code!;
}

/**
 * Registers over the API with an e-mail address as clients do now: the first call mails a code (202),
 * the second brings it back and creates the account. Answers the second call's response (201 { user, token }).
 */
export async function registerByEmail(
  request: APIRequestContext,
  data: { email: string; password: string; name: string } & Record<string, unknown>,
) {
  const seen = new Set((await devCodeMessages(request, data.email.toLowerCase(), "email")).map((m) => m.idempotencyKey));
  const pending = await request.post("/api/v1/auth/register", { data });
  expect(pending.status(), await pending.text()).toBe(202);
  return request.post("/api/v1/auth/register", { data: { ...data, emailCode: await mailedCode(request, data.email, seen) } });
}

/** The sign-up page after its first submit with an e-mail address: types the mailed code and submits again. */
export async function enterMailedCode(page: Page, email: string) {
  await page.getByLabel("邮箱验证码").fill(await mailedCode(page.request, email));
  await page.getByRole("button", { name: "注册" }).click();
}

/** The newest code texted to the number, skipping the codes (by message key) already seen before asking. */
export async function textedCode(request: APIRequestContext, phone: string, seen: ReadonlySet<string> = new Set()): Promise<string> {
  let code: string | undefined;
  await expect
    .poll(
      async () => {
        code = (await devOtpMessages(request, phone)).find((m) => !seen.has(m.idempotencyKey))?.sms?.params.code;
        return code;
      },
      { timeout: 20_000 },
    )
    .toMatch(/^\d{6}$/);
  return code!;
}

/** A number proved the way API clients do it: POST /api/v1/auth/otp, then the code texted to it. */
export async function phoneCode(request: APIRequestContext, phone: string): Promise<string> {
  const sent = await request.post("/api/v1/auth/otp", { data: { phone } });
  expect(sent.status(), await sent.text()).toBe(202);
  return textedCode(request, phone);
}

/** Fills a phone + code block: types the number, asks for a code, reads it from the dev transport and types it. */
export async function verifyPhone(page: Page, phone: string, scope: Page | Locator = page, phoneLabel: string | RegExp = "手机号") {
  // The number may have had codes before (sign-up, an earlier sign-in): only the one asked for now counts.
  const seen = new Set((await devOtpMessages(page.request, phone)).map((m) => m.idempotencyKey));
  await scope.getByLabel(phoneLabel).fill(phone);
  await scope.getByRole("button", { name: "获取验证码" }).click();
  await expect(scope.getByTestId("code-status")).toHaveText("验证码已发送，5 分钟内有效");
  await scope.getByLabel("短信验证码").fill(await textedCode(page.request, phone, seen));
}

/** Chooses a local date in the customer's slot picker: the phone's date strip or the desktop month grid (moving a month on if needed). */
export async function pickDate(page: Page, date: string) {
  const day = page.locator(`[data-testid="slot-picker"] [data-date="${date}"]:visible`);
  await pickerReady(page);
  if ((await day.count()) === 0) await page.getByTestId("month-grid").getByRole("button", { name: "下一页" }).click();
  await day.click();
  await expect(day).toHaveAttribute("aria-pressed", "true");
}

/** The picker's first day is in the server's HTML; taps count once it has hydrated. */
export async function pickerReady(page: Page) {
  await expect(page.locator('[data-testid="slot-picker"][data-ready="true"]')).toBeVisible({ timeout: 30_000 });
}

/** A new customer (API token) with a booking of the tuina service (¥50 deposit) waiting for payment. */
export async function customerWithPendingBooking(request: APIRequestContext) {
  const email = `${unique("pay")}@example.com`;
  const password = "password-123";
  const reg = await registerByEmail(request, { email, password, name: "付款顾客" });
  const { token } = await reg.json();
  const headers = { authorization: `Bearer ${token}` };
  const services = (await (await request.get("/api/v1/services")).json()).services as { id: string; depositFen: number }[];
  const tuina = services.find((s) => s.depositFen === 5000)!;
  // A random weekday 3-25 days ahead, so parallel tests rarely want the same slot.
  for (let attempt = 0; attempt < 20; attempt++) {
    const day = DateTime.now()
      .setZone("Asia/Shanghai")
      .plus({ days: 3 + Math.floor(Math.random() * 22) })
      .toISODate();
    const { slots } = await (await request.get(`/api/v1/services/${tuina.id}/availability?from=${day}&to=${day}`)).json();
    const open = (slots as { id: string; state: string }[]).filter((s) => s.state === "open");
    const slot = open[Math.floor(Math.random() * open.length)];
    if (!slot) continue;
    const res = await request.post("/api/v1/bookings", { headers, data: { timeslotId: slot.id, fields: { symptoms: "肩颈酸痛" } } });
    if (res.status() === 201)
      return {
        email,
        password,
        headers,
        booking: (await res.json()).booking as { id: string; code: string; status: string; amountDueFen: number },
      };
  }
  throw new Error("no open tuina slot found");
}
