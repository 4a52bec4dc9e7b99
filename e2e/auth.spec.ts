import { expect, test } from "@playwright/test";
import { demo, phoneCode, signIn, unique, uniquePhone, verifyPhone } from "./helpers";

test("home page shows the seeded services in Chinese by default", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("预约服务，从未如此简单");
  // Other tests add services as they run: the seeded three are there, whatever else is.
  for (const name of ["中医推拿（60 分钟）", "晨间流瑜伽小班课", "免费健康咨询（20 分钟）"]) {
    await expect(page.getByTestId("service-card").filter({ hasText: name })).toHaveCount(1);
  }
});

test("language switch changes the interface to English and back", async ({ page }) => {
  await page.goto("/");
  await page.getByTestId("switch-locale").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Booking made simple");
  await expect(page.getByText("Tuina massage (60 min)")).toBeVisible();
  await page.getByTestId("switch-locale").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("预约服务，从未如此简单");
});

test("sign up with a phone number lands signed in on /me", async ({ page }) => {
  const name = unique("顾客");
  await page.goto("/signup");
  await page.getByLabel("姓名").fill(name);
  await verifyPhone(page, uniquePhone());
  await page.getByLabel("密码").fill("password-123");
  await page.getByRole("checkbox", { name: /隐私政策/ }).check();
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByTestId("me-greeting")).toContainText(name);
});

test("sign up shows readable errors for bad input", async ({ page }) => {
  await page.goto("/signup");
  await page.getByLabel("姓名").fill("测试");
  await page.getByLabel("手机号").fill("12345");
  await page.getByLabel("密码").fill("short");
  await page.getByRole("checkbox", { name: /隐私政策/ }).check();
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page.getByText(/有效的中国大陆手机号/)).toBeVisible();
  await expect(page.getByText(/密码至少 8 位/)).toBeVisible();
  await expect(page).toHaveURL(/\/signup$/);
});

test("sign in with wrong password says so", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("邮箱或手机号").fill(demo.customer.email);
  await page.getByLabel("密码").fill("wrong-password");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.locator("main").getByRole("alert")).toHaveText("邮箱/手机号或密码错误");
});

test("anonymous visitors are sent to sign in, then back to where they were going", async ({ page }) => {
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fdashboard/);
  await page.getByLabel("邮箱或手机号").fill(demo.staff.email);
  await page.getByLabel("密码").fill(demo.staff.password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("dashboard-title")).toBeVisible();
});

test("a customer gets a 403 page on /dashboard", async ({ page }) => {
  await signIn(page, demo.customer.email, demo.customer.password);
  const response = await page.goto("/dashboard");
  expect(response?.status()).toBe(403);
  await expect(page.getByTestId("forbidden")).toBeVisible();
  await expect(page.getByRole("link", { name: "管理后台" })).toHaveCount(0);
});

test("an admin signs in by phone and reaches the dashboard; sign out ends the session", async ({ page, request }) => {
  // A fresh admin: signing out ends every session of the account, and the demo admin is shared by parallel tests.
  const phone = uniquePhone();
  const code = await phoneCode(request, phone);
  const registered = await request.post("/api/v1/auth/register", { data: { phone, code, password: "admin-passphrase-1", name: "新店长" } });
  const adminToken = (await (await request.post("/api/v1/auth/token", { data: demo.admin })).json()).token as string;
  const promoted = await request.put(`/api/v1/staff/users/${(await registered.json()).user.id}/role`, {
    data: { role: "admin" },
    headers: { authorization: `Bearer ${adminToken}` },
  });
  expect(promoted.status()).toBe(200);
  await signIn(page, `+86 ${phone}`, "admin-passphrase-1");
  await page.getByRole("link", { name: "管理后台" }).click();
  await expect(page.getByTestId("dashboard-title")).toBeVisible();
  await page.getByRole("button", { name: "退出" }).click();
  await expect(page.getByRole("link", { name: "登录" })).toBeVisible();
  await page.goto("/me");
  await expect(page).toHaveURL(/\/signin/);
});
