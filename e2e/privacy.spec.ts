import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { demo, signIn, unique, uniquePhone, verifyPhone } from "./helpers";

const PASSWORD = "password-123";

/**
 * Issue 12 item 5 (PIPL): a customer signs up accepting the privacy policy, downloads their data and
 * deletes the account; the staff customer list shows their number masked (138****0001).
 */
test("a customer exports their data and deletes the account; staff see the phone masked", async ({ page, browser }) => {
  const name = unique("隐私");
  const phone = uniquePhone();
  const masked = `${phone.slice(0, 3)}****${phone.slice(7)}`;

  await page.goto("/signup");
  await page.getByLabel("姓名").fill(name);
  await verifyPhone(page, phone);
  await page.getByLabel("密码").fill(PASSWORD);
  // without the consent the sign-up is refused
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page.getByText("请阅读并同意隐私政策")).toBeVisible();
  await page.getByRole("checkbox", { name: /隐私政策/ }).check();
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page).toHaveURL(/\/me$/);

  // staff: the list shows the number masked, never in full
  const staffContext = await browser.newContext({ ...test.info().project.use });
  const staff = await staffContext.newPage();
  await signIn(staff, demo.staff.email, demo.staff.password, "/dashboard/customers");
  await staff.goto(`/dashboard/customers?q=${phone}`);
  await expect(staff.getByText(name)).toBeVisible();
  await expect(staff.getByText(masked)).toBeVisible();
  await expect(staff.getByText(phone)).toHaveCount(0);

  // the customer: consent on record, export downloads my data
  await page.goto("/me/settings");
  const mine = page.getByTestId("my-data");
  await expect(mine).toContainText("2026-12-01");
  const [download] = await Promise.all([page.waitForEvent("download"), mine.getByTestId("export-my-data").click()]);
  const exported = JSON.parse(await readFile((await download.path())!, "utf8")) as {
    profile: { name: string; phone: string; privacyConsent: unknown };
  };
  expect(exported.profile).toMatchObject({ name, phone });
  expect(exported.profile.privacyConsent).toBeTruthy();

  // delete: a wrong password is refused, the right one deletes and signs out
  const form = page.getByTestId("delete-account");
  await form.getByLabel("当前密码").fill("not-my-password");
  await form.getByRole("button", { name: "永久注销账号" }).click();
  await expect(form.getByRole("alert").first()).toBeVisible();
  await form.getByLabel("当前密码").fill(PASSWORD);
  await form.getByRole("button", { name: "永久注销账号" }).click();
  await expect(page).toHaveURL(/\/(\?deleted=1)?$/);

  // the account is gone: the password no longer signs in, and staff no longer find the number
  await page.goto("/signin");
  await page.getByLabel(/邮箱或手机号|Email or phone/).fill(phone);
  await page.getByLabel(/^(密码|Password)$/).fill(PASSWORD);
  await page.getByRole("button", { name: /^(登录|Sign in)$/ }).click();
  await expect(page).toHaveURL(/\/signin/);
  await staff.goto(`/dashboard/customers?q=${phone}`);
  await expect(staff.getByText(name)).toHaveCount(0);
  await staffContext.close();
});
