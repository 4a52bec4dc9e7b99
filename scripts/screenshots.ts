/**
 * The README's screenshots, taken from the demo: the phone booker, a booking's voucher and the staff
 * day view, each on a phone (Pixel 7 size) and a desktop, written to docs/screenshots/*.png.
 *   npx next build && npm run screenshots
 * Without BASE_URL it starts the production build on fresh demo data (scripts/e2e-server.sh on
 * SCREENSHOTS_PORT, default 3190) and stops it afterwards; with BASE_URL it uses that server.
 * CHROMIUM_PATH names the browser (default /usr/bin/chromium); Chinese text needs a CJK font on the
 * machine (Debian: apt-get install fonts-wqy-microhei). Pages are shot at device scale 1 and
 * viewport height, so the files stay small.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { chromium, request as playwrightRequest, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { DateTime } from "luxon";
import { signUpByEmail, staffToken } from "./sign-up";

const PORT = Number(process.env.SCREENSHOTS_PORT ?? 3190);
const BASE = process.env.BASE_URL ?? `http://127.0.0.1:${PORT}`;
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ZONE = "Asia/Shanghai";
const OUT = "docs/screenshots";
const PASSWORD = "password-123";

const sizes = {
  phone: { viewport: { width: 412, height: 915 }, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1280, height: 860 }, isMobile: false, hasTouch: false },
} as const;
type Size = keyof typeof sizes;

async function json<T>(res: { json(): Promise<unknown>; status(): number; url(): string }): Promise<T> {
  if (res.status() >= 400) throw new Error(`${res.url()} → ${res.status()} ${JSON.stringify(await res.json())}`);
  return (await res.json()) as T;
}

async function startServer(): Promise<ChildProcess | null> {
  if (process.env.BASE_URL) return null;
  const child = spawn("bash", ["scripts/e2e-server.sh", String(PORT)], { stdio: "ignore", detached: true });
  for (let i = 0; i < 180; i++) {
    const up = await fetch(`${BASE}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return child;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`the server on ${BASE} did not come up`);
}

async function register(name: string) {
  const email = `shot-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;
  const token = await signUpByEmail(BASE, await staffToken(BASE), { email, password: PASSWORD, name });
  return { email, headers: { authorization: `Bearer ${token}` } };
}

/** Today's appointments for the staff day view: a service open all day today, a few customers booked, most confirmed at the desk. */
async function seedToday(api: APIRequestContext, staff: Record<string, string>) {
  const today = DateTime.now().setZone(ZONE);
  const date = today.toISODate()!;
  const { service } = await json<{ service: { id: string } }>(
    await api.post("/api/v1/staff/services", {
      headers: staff,
      data: {
        name: "肩颈放松（45 分钟）",
        nameEn: "Neck and shoulder relief (45 min)",
        durationMin: 45,
        priceFen: 16800,
        depositFen: 3000,
        capacity: 1,
        rules: { minNoticeMin: 0 },
        schedule: { dateOverrides: { [date]: [{ start: "08:00", end: "21:00" }] }, slotIntervalMin: 60 },
      },
    }),
  );
  await json(await api.post(`/api/v1/staff/services/${service.id}/timeslots/generate`, { headers: staff, data: { days: 1 } }));
  const { slots } = await json<{ slots: { id: string; state: string }[] }>(
    await api.get(`/api/v1/services/${service.id}/availability?from=${date}&to=${date}`),
  );
  const names = ["王晓明", "陈静", "刘洋", "赵丽", "孙伟"];
  for (const [i, slot] of slots
    .filter((s) => s.state === "open")
    .slice(0, names.length)
    .entries()) {
    const { headers } = await register(names[i]!);
    const res = await api.post("/api/v1/bookings", { headers, data: { timeslotId: slot.id } });
    if (res.status() !== 201) continue;
    const { booking } = (await res.json()) as { booking: { id: string } };
    if (i % 3 !== 2) await api.post(`/api/v1/staff/bookings/${booking.id}/confirm`, { headers: staff, data: { reason: "到店付款" } });
  }
}

async function signIn(page: Page, email: string, password: string, to: string) {
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(to)}`);
  await page.getByLabel(/邮箱或手机号/).fill(email);
  await page.getByLabel(/^密码$/).fill(password);
  await page.getByRole("button", { name: /^登录$/ }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/signin"));
}

async function shoot(browser: Browser, size: Size, name: string, act: (page: Page) => Promise<void>) {
  const context = await browser.newContext({ ...sizes[size], baseURL: BASE, locale: "zh-CN", timezoneId: ZONE, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await act(page);
  await page.waitForTimeout(800);
  const path = `${OUT}/${name}-${size}.png`;
  await page.screenshot({ path });
  await context.close();
  console.log(`wrote ${path}`);
}

async function main() {
  const server = await startServer();
  try {
    fs.mkdirSync(OUT, { recursive: true });
    const api = await playwrightRequest.newContext({ baseURL: BASE });
    const { token } = await json<{ token: string }>(
      await api.post("/api/v1/auth/token", { data: { email: "staff@yuyue.demo", password: "demo1234" } }),
    );
    const staff = { authorization: `Bearer ${token}` };
    await seedToday(api, staff);

    const services = (await json<{ services: { id: string; priceFen: number; depositFen: number }[] }>(await api.get("/api/v1/services")))
      .services;
    const tuina = services.find((s) => s.depositFen === 5000) ?? services[0]!;
    const consult = services.find((s) => s.priceFen === 0) ?? services[0]!;
    const customer = await register("林悦");
    const from = DateTime.now().setZone(ZONE).plus({ days: 1 }).toISODate();
    const to = DateTime.now().setZone(ZONE).plus({ days: 20 }).toISODate();
    const { slots } = await json<{ slots: { id: string; state: string }[] }>(
      await api.get(`/api/v1/services/${consult.id}/availability?from=${from}&to=${to}`),
    );
    const slot = slots.find((s) => s.state === "open");
    if (!slot) throw new Error("no open consultation slot for the voucher");
    const { booking } = await json<{ booking: { id: string } }>(
      await api.post("/api/v1/bookings", { headers: customer.headers, data: { timeslotId: slot.id, fields: { topic: "睡眠调理" } } }),
    );

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
    for (const size of ["phone", "desktop"] as const) {
      await shoot(browser, size, "booker", async (page) => {
        await signIn(page, customer.email, PASSWORD, `/services/${tuina.id}`);
        await page.locator('[data-testid="slot-picker"][data-ready="true"]').waitFor();
        await page.locator('[data-testid="time-list"] [data-state="open"]').first().click();
        await page.getByTestId("book-bar").waitFor();
        if (size === "phone") await page.getByTestId("time-list").scrollIntoViewIfNeeded();
      });
      await shoot(browser, size, "voucher", async (page) => {
        await signIn(page, customer.email, PASSWORD, `/bookings/${booking.id}`);
        await page.getByTestId("booking-code").waitFor();
      });
      await shoot(browser, size, "staff-day", async (page) => {
        await signIn(page, "staff@yuyue.demo", "demo1234", size === "phone" ? "/dashboard" : "/dashboard/calendar?view=day");
        await page.getByTestId(size === "phone" ? "today-desk" : "staff-calendar").waitFor({ timeout: 30_000 });
      });
    }
    await browser.close();
    await api.dispose();
  } finally {
    if (server?.pid) process.kill(-server.pid, "SIGTERM");
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
