import { expect, test } from "@playwright/test";
import { demo, enterMailedCode, phoneCode, registerByEmail, signIn, unique, uniquePhone, verifyPhone } from "./helpers";

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

test("sign up with an e-mail address: the code mailed after the first submit lands signed in on /me; a taken address reads the same", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const name = unique("邮箱顾客");
  const email = `${unique("mail")}@example.com`;
  const fill = async (address: string) => {
    await page.goto("/signup");
    await page.getByLabel("姓名").fill(name);
    await page.getByLabel("邮箱", { exact: true }).fill(address);
    await page.getByLabel("密码").fill("password-123");
    await page.getByRole("checkbox", { name: /隐私政策/ }).check();
    await page.getByRole("button", { name: "注册" }).click();
  };
  // A taken address gets the same answer as a new one: a code field and "we sent an e-mail".
  const taken = `${unique("taken")}@example.com`;
  expect((await registerByEmail(page.request, { email: taken, password: "password-123", name: unique("老顾客") })).status()).toBe(201);
  await page.waitForTimeout(61_000); // one mail a minute per address
  await fill(taken);
  await expect(page.getByTestId("email-code-status")).toHaveText(
    `我们已向 ${taken} 发送邮件：请填写邮件中的验证码完成注册（10 分钟内有效）。`,
  );
  await expect(page.getByLabel("邮箱验证码")).toBeVisible();

  await fill(email);
  await expect(page.getByTestId("email-code-status")).toHaveText(
    `我们已向 ${email} 发送邮件：请填写邮件中的验证码完成注册（10 分钟内有效）。`,
  );
  await page.getByLabel("邮箱验证码").fill("000000");
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page.getByText("验证码错误或已失效")).toBeVisible();
  await expect(page.getByLabel("邮箱", { exact: true })).toHaveValue(email);
  await enterMailedCode(page, email);
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
