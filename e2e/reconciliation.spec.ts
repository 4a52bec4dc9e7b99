import { expect, test } from "@playwright/test";
import { DateTime } from "luxon";
import { customerWithPendingBooking, demo, payInSandbox, signIn } from "./helpers";

/**
 * 对账 on a desk: a customer pays through the sandbox's Alipay, an admin reconciles today's Alipay
 * bill from the dashboard and sees the day with the gateway's and the ledger's totals, the payment
 * matched rather than listed as a difference.
 */
test("an admin reconciles today's Alipay bill and the paid booking is matched", async ({ page, context, request, isMobile }) => {
  test.skip(isMobile, "a desk task: the phone project covers the booker");
  test.setTimeout(150_000);
  const { headers, booking } = await customerWithPendingBooking(request);
  const order = await payInSandbox(context, request, headers, booking.id);

  await signIn(page, demo.admin.email, demo.admin.password, "/dashboard/payments");
  await page.getByTestId("reconciliation-link").click();
  await expect(page).toHaveURL(/\/dashboard\/payments\/reconciliation/);
  const today = DateTime.now().setZone("Asia/Shanghai").toISODate()!;
  const form = page.getByTestId("run-reconciliation");
  await form.getByLabel("渠道").selectOption("alipay");
  await form.getByLabel("账单日期").fill(today);
  await form.getByRole("button", { name: "立即对账" }).click();
  await expect(page.getByTestId("run-result")).toContainText(today);

  const run = page.getByTestId("reconciliation-run").filter({ hasText: today }).filter({ hasText: "支付宝" });
  await expect(run).toBeVisible();
  await expect(run.getByTestId("run-status")).toHaveText(/已平账|有差异/);
  await run.getByRole("link", { name: today }).click();
  const detail = page.getByTestId("reconciliation-detail");
  await expect(detail).toContainText(today);
  const billPaid = Number((await detail.getByTestId("recon-billPaid").locator("dd").innerText()).replace(/[¥,]/g, ""));
  expect(billPaid).toBeGreaterThanOrEqual(50);
  // Paid, noticed and on the bill: not a difference.
  await expect(detail.getByTestId("reconciliation-item").filter({ hasText: order.payment.outTradeNo })).toHaveCount(0);
});
