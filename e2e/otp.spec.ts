import { expect, test, type APIRequestContext } from "@playwright/test";
import { DateTime } from "luxon";
import { phoneCode, unique, uniquePhone, verifyPhone } from "./helpers";

/**
 * Phone-first customers: sign-in by SMS code that comes back to the slot being booked, and guest
 * booking with phone + code and no password. The code is read from the dev SMS transport.
 */

const ZONE = "Asia/Shanghai";
type ApiSlot = { id: string; startsAt: string; remaining: number; state?: string };

const localDate = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toISODate() ?? "";
const localTime = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toFormat("HH:mm");

async function consultationSlot(request: APIRequestContext): Promise<{ serviceId: string; slot: ApiSlot }> {
  const { services } = (await (await request.get("/api/v1/services")).json()) as { services: { id: string; name: string }[] };
  const serviceId = services.find((s) => s.name.startsWith("免费健康咨询"))!.id;
  const today = DateTime.now().setZone(ZONE).startOf("day");
  const res = await request.get(
    `/api/v1/services/${serviceId}/availability?from=${today.plus({ days: 2 }).toISODate()}&to=${today.plus({ days: 26 }).toISODate()}`,
  );
  const { slots } = (await res.json()) as { slots: ApiSlot[] };
  const open = slots.filter((s) => s.remaining > 0 && (s.state ?? "open") === "open");
  expect(open.length).toBeGreaterThan(0);
  return { serviceId, slot: open[Math.floor(Math.random() * open.length)]! };
}

test("a visitor signs in with an SMS code and comes back to the slot they were booking", async ({ page, request }) => {
  const { serviceId, slot } = await consultationSlot(request);
  await page.goto(`/services/${serviceId}?date=${localDate(slot.startsAt)}`);
  await page.locator(`[data-slot-id="${slot.id}"]`).click();
  await page.getByTestId("sign-in-to-book").getByRole("link", { name: "用验证码登录" }).click();
  await expect(page).toHaveURL(/\/signin\?.*by=code/);

  const phone = uniquePhone();
  await verifyPhone(page, phone);
  await page.getByRole("checkbox", { name: /隐私政策/ }).check();
  await page.getByRole("button", { name: "登录" }).click();

  // Back on the service page with the same slot selected, now as a signed-in customer.
  await expect(page).toHaveURL(new RegExp(`/services/${serviceId}\\?date=${localDate(slot.startsAt)}&slot=${slot.id}$`), {
    timeout: 30_000,
  });
  await expect(page.getByTestId("slot-time")).toContainText(localTime(slot.startsAt));
  const form = page.getByRole("form", { name: "填写预约信息" });
  await form.getByLabel("想咨询的问题").fill("验证码登录后预约");
  await form.getByRole("button", { name: "立即预约" }).click();
  await expect(page).toHaveURL(/\/bookings\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("booking-title")).toHaveText("预约成功");
  await expect(page.getByTestId("booking-time")).toContainText(localTime(slot.startsAt));

  // The account was created by the code, with the number verified.
  await page.goto("/me/settings");
  await expect(page.getByTestId("change-phone")).toContainText(`当前手机号：${phone} (已验证)`);
});

test("a guest books with phone + SMS code and no password; a wrong code is refused first", async ({ page, request }) => {
  const { serviceId, slot } = await consultationSlot(request);
  await page.goto(`/services/${serviceId}?date=${localDate(slot.startsAt)}`);
  await page.locator(`[data-slot-id="${slot.id}"]`).click();
  const guest = page.getByTestId("guest-booking");
  await guest.getByLabel("想咨询的问题").fill(unique("免注册预约"));
  const phone = uniquePhone();
  await verifyPhone(page, phone, guest);
  const code = await guest.getByLabel("短信验证码").inputValue();

  await guest.getByLabel("短信验证码").fill(code === "000000" ? "000001" : "000000");
  await guest.getByRole("checkbox", { name: /隐私政策/ }).check();
  await guest.getByRole("button", { name: "验证并预约" }).click();
  await expect(guest.getByRole("alert").first()).toContainText("验证码错误或已失效");

  await guest.getByLabel("短信验证码").fill(code);
  await guest.getByRole("button", { name: "验证并预约" }).click();
  await expect(page).toHaveURL(/\/bookings\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("booking-title")).toHaveText("预约成功");
  await expect(page.getByTestId("booking-time")).toContainText(localTime(slot.startsAt));
});

test("phone change by SMS code, with the resend countdown", async ({ page }) => {
  const phone = uniquePhone();
  await page.goto("/signin?by=code");
  await verifyPhone(page, phone);
  // One code a minute per number: the button counts down instead of sending again.
  await expect(page.getByRole("button", { name: /秒后可重发/ })).toBeDisabled();
  // The privacy policy is asked of every number on this form, before the code is looked at.
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByText("请阅读并同意隐私政策")).toBeVisible();
  await page.getByRole("checkbox", { name: /隐私政策/ }).check();
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/me$/, { timeout: 30_000 });

  const next = uniquePhone();
  await page.goto("/me/settings");
  const change = page.getByTestId("change-phone");
  await verifyPhone(page, next, change, "新手机号");
  await change.getByRole("button", { name: "验证并更换" }).click();
  await expect(change.getByRole("alert")).toHaveText(`手机号已更换为 ${next}`);
  await page.reload();
  await expect(change).toContainText(`当前手机号：${next} (已验证)`);
});

test("password reset by SMS code", async ({ page, request }) => {
  test.setTimeout(180_000);
  const phone = uniquePhone();
  // Registered over the API, which needs the number's code too.
  const code = await phoneCode(request, phone);
  const reg = await request.post("/api/v1/auth/register", { data: { phone, code, password: "old-password-1", name: unique("重置") } });
  expect(reg.status()).toBe(201);
  // The reset asks for a new code: one code a minute per number.
  await page.waitForTimeout(61_000);
  await page.goto("/signin");
  await page.getByRole("link", { name: "忘记密码？" }).click();
  await expect(page).toHaveURL(/\/reset-password$/);
  // Typed the way people write it: "+86 139-1234-5678" is the same number.
  await verifyPhone(page, `+86 ${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`);
  await page.getByLabel("新密码").fill("new-password-1");
  await page.getByRole("button", { name: "重置并登录" }).click();
  await expect(page).toHaveURL(/\/me$/, { timeout: 30_000 });
  const token = await request.post("/api/v1/auth/token", { data: { phone, password: "new-password-1" } });
  expect(token.status()).toBe(200);
});
