import { expect, test } from "@playwright/test";
import { customerWithPendingBooking, signIn } from "./helpers";

/**
 * PayPal beside Alipay and WeChat Pay (the browser suites offer it on the sandbox stand-in):
 * book the tuina service (¥50 deposit), choose PayPal, approve on the stand-in's PayPal page in
 * US dollars at the configured rate, come back, and the return's capture confirms the booking.
 */
test("pay the deposit with PayPal: approve on PayPal, come back confirmed, cancel and see the refund", async ({ page, request }) => {
  const { email, password, headers, booking } = await customerWithPendingBooking(request);
  await signIn(page, email, password, `/bookings/${booking.id}/pay`);
  await expect(page.getByTestId("pay-amount")).toHaveText("¥50.00");
  await expect(page.getByRole("button", { name: "支付宝" })).toBeVisible();

  await page.getByRole("button", { name: "PayPal" }).click();
  await page.waitForURL((url) => url.pathname.endsWith("/paypal/checkoutnow"));
  // ¥50.00 at 7.2 yuan per dollar.
  await expect(page.locator(".amount")).toHaveText("6.94 USD");
  await page.getByRole("button", { name: "Pay Now" }).click();

  await expect(page).toHaveURL(new RegExp(`/bookings/${booking.id}(\\?|$)`), { timeout: 45_000 });
  await expect(page.getByTestId("booking-title")).toHaveText("预约成功");
  const payments = (await (await request.get(`/api/v1/bookings/${booking.id}`, { headers })).json()) as { booking: { status: string } };
  expect(payments.booking.status).toBe("confirmed");

  await page.getByRole("button", { name: "取消预约" }).click();
  await expect(page.getByTestId("refund-quote")).toContainText("¥50.00");
  await page.getByRole("button", { name: "确认取消" }).click();
  await expect(page.getByTestId("booking-title")).toHaveText("预约已取消");
  await expect
    .poll(
      async () =>
        ((await (await request.get("/api/v1/notifications", { headers, maxRetries: 2 })).json()).notifications as { type: string }[]).map(
          (n) => n.type,
        ),
      { timeout: 60_000 },
    )
    .toContain("refund_issued");
});
