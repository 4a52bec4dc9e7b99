import { expect, type Page } from "@playwright/test";

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
