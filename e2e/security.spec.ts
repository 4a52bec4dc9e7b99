import { expect, test } from "@playwright/test";
import { demo, signIn, unique } from "./helpers";

/**
 * The sign-in page lists the demo accounts exactly when they exist and work: with the demo and test
 * seed (SEED_DEMO_ACCOUNTS=1) they are listed; with a production seed (run this spec with
 * SEED_DEMO_ACCOUNTS= ) the page shows none and the demo password signs nobody in.
 */
test("the sign-in page lists demo accounts only where they exist", async ({ page, request }) => {
  const res = await request.post("/api/v1/auth/token", { data: { email: demo.admin.email, password: demo.admin.password } });
  const demoSeeded = res.status() === 200;
  if (!demoSeeded) expect(res.status()).toBe(401);
  await page.goto("/signin");
  await expect(page.getByLabel(/邮箱或手机号|Email or phone/)).toBeVisible();
  await expect(page.getByTestId("demo-accounts")).toHaveCount(demoSeeded ? 1 : 0);
  await expect(page.getByText("demo1234")).toHaveCount(demoSeeded ? 3 : 0);
});

test("a demoted staff member loses the dashboard at once", async ({ page, request }) => {
  const adminToken = (await (await request.post("/api/v1/auth/token", { data: demo.admin })).json()).token as string;
  const email = `${unique("staff")}@example.com`;
  const password = "staff-passphrase-1";
  const registered = await request.post("/api/v1/auth/register", { data: { email, password, name: "临时员工" } });
  expect(registered.status()).toBe(201);
  const { user } = await registered.json();
  const setRole = (role: string) =>
    request.put(`/api/v1/staff/users/${user.id}/role`, { data: { role }, headers: { authorization: `Bearer ${adminToken}` } });

  expect((await setRole("staff")).status()).toBe(200);
  await signIn(page, email, password, "/dashboard");
  await expect(page).toHaveURL(/\/dashboard/);
  await expect(page.getByTestId("dashboard-title")).toBeVisible();

  expect((await setRole("customer")).status()).toBe(200);
  // The very next request: the session is gone, so the dashboard sends the browser to sign in.
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/signin/);
  // Signing in again gives a customer's session: the dashboard is forbidden.
  await signIn(page, email, password, "/dashboard");
  const dash = await page.goto("/dashboard");
  expect(dash?.status()).toBe(403);
});

test("sign-out ends the session on the server, not only in this browser", async ({ page, context, request }) => {
  const email = `${unique("out")}@example.com`;
  expect((await request.post("/api/v1/auth/register", { data: { email, password: "customer-pass-1", name: "退出测试" } })).status()).toBe(
    201,
  );
  await signIn(page, email, "customer-pass-1", "/me");
  const cookies = await context.cookies();
  await page.getByRole("button", { name: /退出|Sign out/ }).click();
  await expect(page.getByRole("link", { name: /^(登录|Sign in)$/ })).toBeVisible();
  // Replaying the cookie saved before sign-out no longer opens the account.
  await context.clearCookies();
  await context.addCookies(cookies);
  await page.goto("/me");
  await expect(page).toHaveURL(/\/signin/);
});
