import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { demo, pickerReady, registerByEmail, signIn, unique } from "./helpers";

/**
 * An accessibility pass over the main pages with axe-core (WCAG 2.x A and AA rules): no serious or
 * critical violation on the home page, a service's booker, sign-in, my bookings, a booking's
 * voucher, the dashboard overview and the dashboard calendar.
 */
async function expectAccessible(page: Page, name: string, exclude: string[] = []) {
  await page.waitForLoadState("networkidle").catch(() => undefined);
  let axe = new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]);
  for (const selector of exclude) axe = axe.exclude(selector);
  const results = await axe.analyze();
  const bad = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect.soft(bad, `${name}: ${bad.join("\n")}`).toEqual([]);
}

async function freeBooking(request: APIRequestContext) {
  const email = `${unique("a11y")}@example.com`;
  const { token } = await (await registerByEmail(request, { email, password: "password-123", name: "无障碍" })).json();
  const headers = { authorization: `Bearer ${token}` };
  const services = (await (await request.get("/api/v1/services")).json()).services as { id: string; priceFen: number }[];
  const consult = services.find((s) => s.priceFen === 0)!;
  const day = (n: number) => new Date(Date.now() + n * 86_400_000).toLocaleDateString("en-CA", { timeZone: "Asia/Shanghai" });
  const { slots } = await (await request.get(`/api/v1/services/${consult.id}/availability?from=${day(2)}&to=${day(20)}`)).json();
  for (const slot of (slots as { id: string; state: string }[]).filter((s) => s.state === "open").sort(() => Math.random() - 0.5)) {
    const res = await request.post("/api/v1/bookings", { headers, data: { timeslotId: slot.id, fields: { topic: "a11y" } } });
    if (res.status() === 201) return { email, booking: (await res.json()).booking as { id: string } };
  }
  throw new Error("no consultation slot could be booked");
}

test("customer pages have no serious accessibility violations", async ({ page, request }) => {
  test.setTimeout(300_000);
  await page.goto("/");
  await expectAccessible(page, "home");
  await page.goto("/signin");
  await expectAccessible(page, "sign-in");

  const services = (await (await request.get("/api/v1/services")).json()).services as { id: string; depositFen: number }[];
  await page.goto(`/services/${services.find((s) => s.depositFen > 0)!.id}`);
  await pickerReady(page);
  await expectAccessible(page, "service booker");

  const { email, booking } = await freeBooking(request);
  await signIn(page, email, "password-123", "/me");
  await expectAccessible(page, "my bookings");
  await page.goto(`/bookings/${booking.id}`);
  await expect(page.getByTestId("booking-code")).toBeVisible();
  await expectAccessible(page, "booking voucher");
});

test("dashboard pages have no serious accessibility violations", async ({ page }) => {
  test.setTimeout(300_000);
  await signIn(page, demo.staff.email, demo.staff.password, "/dashboard");
  await expect(page.getByTestId("dashboard-title")).toBeVisible();
  await expectAccessible(page, "dashboard overview");
  await page.goto("/dashboard/calendar");
  await expect(page.getByTestId("staff-calendar")).toBeVisible({ timeout: 20_000 });
  // react-big-calendar's all-day strip and day headers: role="row"/"columnheader" outside a rowgroup or grid (its own markup, not ours).
  await expectAccessible(page, "dashboard calendar", [".rbc-allday-cell", ".rbc-header"]);
});
