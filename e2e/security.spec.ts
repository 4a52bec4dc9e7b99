import { expect, test } from "@playwright/test";
import { demo, registerByEmail, signIn, unique } from "./helpers";

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
  const registered = await registerByEmail(request, { email, password, name: "临时员工" });
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
  expect((await registerByEmail(request, { email, password: "customer-pass-1", name: "退出测试" })).status()).toBe(201);
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

test("pages carry a nonce CSP that Next.js's own scripts satisfy, and the other security headers", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  const res = await page.goto("/services");
  const headers = res!.headers();
  const csp = headers["content-security-policy"] ?? "";
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce).toBeTruthy();
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  // Served over plain http (and no trusted proxy says otherwise): no HSTS.
  expect(headers["strict-transport-security"]).toBeUndefined();
  // Every script of the page carries this answer's nonce; a second answer gets a new one.
  const scripts = await page.locator("script").evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
  expect(scripts.length).toBeGreaterThan(0);
  expect(scripts.every((n) => n === nonce)).toBe(true);
  const again = (await page.request.get("/services")).headers()["content-security-policy"];
  expect(again).not.toBe(csp);
  // The page works: hydrated client components respond.
  await expect(page.locator("main")).toBeVisible();
  expect(violations).toEqual([]);
  const dash = await page.request.get("/dashboard", { maxRedirects: 0 });
  expect(dash.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
});

test("bad requests never answer 5xx: actions, unknown API paths, wrong methods, foreign bookings", async ({ request }) => {
  // A made-up server action id and an undecodable action body.
  const bogus = await request.post("/signin", { headers: { "next-action": "0".repeat(42), "content-type": "text/plain" }, data: "[]" });
  expect(bogus.status()).toBeLessThan(500);
  const garbled = await request.post("/signin", {
    headers: { "next-action": "7f".repeat(21), "content-type": "multipart/form-data; boundary=x" },
    data: "--x\r\n\u0000garbage",
  });
  expect(garbled.status()).toBeLessThan(500);

  const unknown = await request.get("/api/v1/no/such/thing");
  expect(unknown.status()).toBe(404);
  expect((await unknown.json()).error.code).toBe("NOT_FOUND");
  const wrongMethod = await request.delete("/api/v1/services");
  expect(wrongMethod.status()).toBe(405);
  expect(wrongMethod.headers()["allow"]).toContain("GET");
  expect((await wrongMethod.json()).error.code).toBe("METHOD_NOT_ALLOWED");
  const big = await request.post("/api/v1/auth/register", { data: { name: "x".repeat(300_000) } });
  expect(big.status()).toBe(413);
  expect((await big.json()).error.code).toBe("PAYLOAD_TOO_LARGE");
  const badEscape = await request.get("/api/v1/bookings/%E0%A4%A");
  expect(badEscape.status()).toBeLessThan(500);
  const forged = await request.post("/api/payments/wechat/notify", {
    headers: { "wechatpay-signature": "forged", "wechatpay-timestamp": "1", "wechatpay-serial": "x", "wechatpay-nonce": "n" },
    data: { resource: { ciphertext: "x" } },
  });
  expect(forged.status()).toBeGreaterThanOrEqual(400);
  expect(forged.status()).toBeLessThan(500);
});

test("a booking page that is not yours (or no booking) is a real 404", async ({ page, request }) => {
  const email = `${unique("own")}@example.com`;
  expect((await registerByEmail(request, { email, password: "customer-pass-1", name: "别人" })).status()).toBe(201);
  await signIn(page, email, "customer-pass-1", "/me");
  const res = await page.goto(`/bookings/${crypto.randomUUID()}`);
  expect(res?.status()).toBe(404);
});
