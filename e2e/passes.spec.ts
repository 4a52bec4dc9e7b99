import { expect, test, type APIRequestContext } from "@playwright/test";
import { DateTime } from "luxon";
import { demo, pickerReady, registerByEmail, signIn, unique } from "./helpers";

/**
 * Member cards on the phone: a customer buys a 3-visit card online (Alipay through the sandbox
 * cashier) and books tuina with it at ¥0; staff sell a stored-value card at the desk from the
 * customer's page and see it in the card sales ledger.
 */

const ZONE = "Asia/Shanghai";
const PASSWORD = "password-123";
type ApiSlot = { id: string; startsAt: string; remaining: number; state?: string };

const localDate = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toISODate() ?? "";

async function newCustomer(request: APIRequestContext) {
  const email = `${unique("card")}@example.com`;
  const name = unique("持卡人");
  const res = await registerByEmail(request, { email, password: PASSWORD, name });
  expect(res.status()).toBe(201);
  const body = (await res.json()) as { token: string; user: { id: string } };
  return { email, name, id: body.user.id, headers: { authorization: `Bearer ${body.token}` } };
}

async function openTuinaSlot(request: APIRequestContext): Promise<{ serviceId: string; slot: ApiSlot }> {
  const { services } = (await (await request.get("/api/v1/services")).json()) as { services: { id: string; name: string }[] };
  const tuina = services.find((s) => s.name.startsWith("中医推拿"))!;
  const today = DateTime.now().setZone(ZONE).startOf("day");
  for (let attempt = 0; attempt < 10; attempt++) {
    const day = today.plus({ days: 3 + Math.floor(Math.random() * 20) }).toISODate();
    const { slots } = (await (await request.get(`/api/v1/services/${tuina.id}/availability?from=${day}&to=${day}`)).json()) as {
      slots: ApiSlot[];
    };
    const open = slots.filter((s) => s.remaining > 0 && (s.state ?? "open") === "open");
    const slot = open[Math.floor(Math.random() * open.length)];
    if (slot) return { serviceId: tuina.id, slot };
  }
  throw new Error("no open tuina slot found");
}

test("buy a 3-visit card online with Alipay, then book tuina with it at ¥0", async ({ page, request, isMobile }) => {
  test.skip(!isMobile, "the phone flow: one tap to the wallet and back");
  const customer = await newCustomer(request);
  await signIn(page, customer.email, PASSWORD, "/me/passes");
  await expect(page.getByTestId("no-passes")).toBeVisible();
  await page.getByRole("link", { name: "购买 推拿 3 次体验卡" }).click();
  await expect(page.getByTestId("pay-amount")).toHaveText("¥768.00");

  // One tap: the wallet (the sandbox cashier) opens in this tab and sends the buyer back.
  await page.getByRole("button", { name: "支付宝" }).click();
  await page.waitForURL((url) => url.pathname.endsWith("/cashier"));
  await page.getByRole("button", { name: /Approve/ }).click();
  await expect(page).toHaveURL(/\/me\/passes\?bought=1$/, { timeout: 30_000 });
  await expect(page.getByTestId("pass-bought")).toBeVisible();
  const card = page.getByTestId("my-pass").filter({ hasText: "推拿 3 次体验卡" });
  await expect(card.getByTestId("my-pass-left")).toHaveText("剩余 3 次");

  const { serviceId, slot } = await openTuinaSlot(request);
  await page.goto(`/services/${serviceId}?date=${localDate(slot.startsAt)}&slot=${slot.id}`);
  await pickerReady(page);
  const form = page.getByRole("form", { name: "填写预约信息" });
  if (!(await form.isVisible())) await page.locator(`[data-slot-id="${slot.id}"]`).click();
  await form.getByLabel("不适部位或症状").fill("腰背酸痛");
  const bar = form.getByTestId("book-bar");
  await expect(bar.getByTestId("book-bar-deposit")).toHaveText("在线付定金 ¥50.00，余款到店付");
  await form.getByLabel("用会员卡支付").selectOption({ label: "推拿 3 次体验卡 · 剩 3 次" });
  await expect(bar.getByTestId("book-bar-deposit")).toHaveText("会员卡抵扣 1 次，无需在线支付");
  await bar.getByRole("button", { name: "立即预约" }).click();
  await expect(page).toHaveURL(/\/bookings\/[0-9a-f-]{36}$/);

  const { bookings } = (await (await request.get("/api/v1/bookings", { headers: customer.headers })).json()) as {
    bookings: { timeslotId: string; status: string; amountDueFen: number }[];
  };
  expect(bookings.find((b) => b.timeslotId === slot.id)).toMatchObject({ status: "confirmed", amountDueFen: 0 });
  const { passes } = (await (await request.get("/api/v1/me/passes", { headers: customer.headers })).json()) as {
    passes: { name: string; remainingUses?: number }[];
  };
  expect(passes).toEqual([expect.objectContaining({ name: "推拿 3 次体验卡", remainingUses: 2 })]);
  await page.goto("/me/passes");
  await expect(card.getByTestId("my-pass-left")).toHaveText("剩余 2 次");
  await expect(page.getByTestId("pass-history")).toContainText("预约使用");
});

test("staff sell a stored-value card at the desk, recorded with the method, in the sales ledger", async ({ page, request }) => {
  const customer = await newCustomer(request);
  await signIn(page, demo.staff.email, demo.staff.password, `/dashboard/customers/${customer.id}`);
  const cards = page.getByTestId("customer-cards");
  const sell = cards.getByTestId("sell-pass");
  await sell.getByLabel("卡种").selectOption({ label: "储值卡 ¥1000 送 ¥200 · ¥1000.00" });
  await sell.getByLabel("收款方式").selectOption({ label: "现金" });
  await sell.getByRole("button", { name: "到店售卡" }).click();
  await expect(sell.getByRole("status")).toHaveText("已售出「储值卡 ¥1000 送 ¥200」，收款 ¥1000.00");
  await expect(cards.getByTestId("customer-pass-left")).toHaveText("余额 ¥1200.00");

  // The desk grants ¥50 with a reason: audited, in the card's history.
  const held = cards.getByTestId("customer-pass");
  await held.getByLabel("金额 ±（元）").fill("50");
  await held.getByLabel("原因（必填）").first().fill("开业赠送");
  await held.getByRole("button", { name: "调整" }).click();
  await expect(cards.getByTestId("customer-pass-left")).toHaveText("余额 ¥1250.00");
  await expect(cards.getByTestId("pass-history")).toContainText("开业赠送");

  const { passes } = (await (await request.get("/api/v1/me/passes", { headers: customer.headers })).json()) as {
    passes: { kind: string; balanceFen?: number }[];
  };
  expect(passes).toEqual([expect.objectContaining({ kind: "value", balanceFen: 125000 })]);

  await page.goto("/dashboard/passes");
  const sale = page.getByTestId("pass-sale").filter({ hasText: customer.name });
  await expect(sale).toContainText("现金");
  await expect(sale).toContainText("¥1000.00");
  await expect(sale).toContainText("李医生");
});
