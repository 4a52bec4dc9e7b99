import { expect, test } from "@playwright/test";
import { customerWithPendingBooking, demo, payInSandbox, signIn } from "./helpers";

/** 发票: the customer asks for a company invoice on a paid booking (a bad tax number keeps what was typed), staff issue it. */
test("a customer requests a fapiao on a paid booking and sees it issued by staff", async ({ page, context, request, browser }) => {
  test.setTimeout(180_000);
  const { email, password, headers, booking } = await customerWithPendingBooking(request);
  await payInSandbox(context, request, headers, booking.id, "wechat");

  await signIn(page, email, password, `/bookings/${booking.id}`);
  const panel = page.getByTestId("invoice-request");
  await panel.getByText("申请发票（可开 ¥50.00）").click();
  await panel.getByLabel("单位").check();
  await panel.getByLabel("发票抬头").fill("上海预约科技有限公司");
  await panel.getByLabel("纳税人识别号").fill("123");
  await panel.getByRole("button", { name: "提交申请" }).click();
  await expect(panel.getByTestId("invoice-result")).toHaveAttribute("data-ok", "false");
  await expect(panel.getByLabel("发票抬头")).toHaveValue("上海预约科技有限公司");
  await panel.getByLabel("纳税人识别号").fill("91310000MA1K2B3C4D");
  await panel.getByRole("button", { name: "提交申请" }).click();
  await expect(panel.getByTestId("invoice-result")).toContainText("发票申请已提交");

  const desk = await (await browser.newContext({ locale: "zh-CN", timezoneId: "Asia/Shanghai" })).newPage();
  await signIn(desk, demo.staff.email, demo.staff.password, "/dashboard/payments");
  await desk.getByTestId("invoices-link").click();
  const row = desk.getByTestId("invoice-row").filter({ hasText: booking.code });
  await expect(row).toContainText("上海预约科技有限公司");
  await expect(row).toContainText("91310000MA1K2B3C4D");
  await row.getByLabel("发票号码").fill("24310000000012345678");
  await row.getByRole("button", { name: "标记已开具" }).click();
  await expect(desk.getByTestId("invoice-row").filter({ hasText: booking.code }).getByTestId("invoice-status")).toHaveText("已开具");
  await desk.context().close();

  await page.reload();
  await expect(page.getByTestId("invoice-issued")).toContainText("24310000000012345678");
});
