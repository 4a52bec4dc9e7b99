import { expect, test, type Page } from "@playwright/test";
import { approveInCashier, customerWithPendingBooking, demo, payInSandbox, signIn as signInAs } from "./helpers";

/**
 * Pay through the sandbox gateway with the real SDK code on both sides: book the tuina service
 * (¥50 deposit), pay with Alipay or WeChat Pay on the cashier page, land on the confirmation page,
 * then cancel and see the refund the policy gives.
 */

async function signIn(page: Page, email: string, password: string, callbackUrl: string) {
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  await page.getByLabel(/邮箱或手机号/).fill(email);
  await page.getByLabel(/^密码$/).fill(password);
  await page.getByRole("button", { name: /^登录$/ }).click();
  await expect(page).toHaveURL(new RegExp(callbackUrl.replace(/[/?]/g, "\\$&")));
}

for (const [provider, label] of [
  ["alipay", "支付宝"],
  ["wechat", "微信支付"],
] as const) {
  test(`pay the deposit with ${provider} through the sandbox, then cancel and see the refund`, async ({
    page,
    context,
    request,
    isMobile,
  }) => {
    const { email, password, headers, booking } = await customerWithPendingBooking(request);
    expect(booking).toMatchObject({ status: "pending_payment", amountDueFen: 5000 });
    await signIn(page, email, password, `/bookings/${booking.id}/pay`);
    await expect(page.getByTestId("pay-amount")).toHaveText("¥50.00");
    // The hold counts down live.
    const countdown = page.getByTestId("hold-countdown");
    await expect(countdown).toContainText(/名额保留剩余 \d{2}:\d{2}/);
    const first = Number(await countdown.getAttribute("data-seconds"));
    await expect.poll(async () => Number(await countdown.getAttribute("data-seconds"))).toBeLessThan(first);

    if (isMobile) {
      // One tap: the wallet (the sandbox cashier) opens in this tab and sends the buyer back.
      await page.getByRole("button", { name: label }).click();
      await page.waitForURL((url) => url.pathname.endsWith("/cashier"));
      await page.getByRole("button", { name: /Approve/ }).click();
      await page.waitForURL((url) => !url.pathname.endsWith("/cashier"));
      // Alipay returns to return_url; WeChat H5 leaves the buyer on its result page, they come back themselves.
      if (!page.url().includes(`/bookings/${booking.id}`)) await page.goto(`/bookings/${booking.id}/pay?returned=1`);
    } else {
      await page.getByRole("button", { name: label }).click();
      await expect(page.getByTestId("pay-order")).toBeVisible();
      await expect(page.getByTestId("pay-scan-with")).toHaveText(provider === "alipay" ? /支付宝/ : /微信/);
      // The wallet: the sandbox cashier, opened from the QR code's link.
      const [cashier] = await Promise.all([context.waitForEvent("page"), page.getByTestId("pay-open").click()]);
      await approveInCashier(cashier);
    }

    await expect(page).toHaveURL(new RegExp(`/bookings/${booking.id}`), { timeout: 45_000 });
    await expect(page.getByTestId("booking-title")).toHaveText("预约成功");

    await page.getByRole("button", { name: "取消预约" }).click();
    await expect(page.getByTestId("refund-quote")).toContainText("¥50.00");
    await page.getByRole("button", { name: "确认取消" }).click();
    await expect(page.getByTestId("booking-title")).toHaveText("预约已取消");

    // The refund job ran against the gateway and the customer was told.
    await expect
      .poll(
        async () =>
          ((await (await request.get("/api/v1/notifications", { headers, maxRetries: 2 })).json()).notifications as { type: string }[]).map(
            (n) => n.type,
          ),
        // The refund job shares two cores with the rest of the suite on the embedded database.
        { timeout: 60_000 },
      )
      .toContain("refund_issued");
  });
}

test("a refund the gateway refuses is shown to staff under Payments, and the retry pays it", async ({ page, context, request }) => {
  test.setTimeout(150_000);
  const { headers, booking } = await customerWithPendingBooking(request);
  const order = await payInSandbox(context, request, headers, booking.id);

  // The merchant account runs dry: the gateway refuses this order's refunds.
  const control = (mode: string) =>
    request.post("/sandbox-gateway/control/refunds", { form: { out_trade_no: order.payment.outTradeNo, mode } });
  expect((await control("refuse")).status()).toBe(200);
  expect((await request.post(`/api/v1/bookings/${booking.id}/cancel`, { headers, data: {} })).status()).toBe(200);

  await signInAs(page, demo.staff.email, demo.staff.password, "/dashboard/payments");
  const problem = page.getByTestId("refund-problem").filter({ hasText: booking.code });
  await expect(async () => {
    await page.reload();
    await expect(problem).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 45_000 });
  await expect(problem).toContainText("失败");
  await expect(problem).toContainText("ACQ.SELLER_BALANCE_NOT_ENOUGH");

  // Topped up: the retry asks again under the same refund number, and the refund goes through.
  expect((await control("normal")).status()).toBe(200);
  await problem.getByRole("button", { name: "重试" }).click();
  // Pending again, so it leaves the list of problems; the refund job pays it.
  await expect(problem).toHaveCount(0);
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("refund-list").locator("li").filter({ hasText: booking.code })).toContainText("已退款", {
      timeout: 2_000,
    });
  }).toPass({ timeout: 45_000 });
  await expect(problem).toHaveCount(0);
});
