/**
 * Screenshots of the staff dashboard for the README: `public/docs/dashboard-overview.png` and
 * `public/docs/dashboard-calendar.png`. Run against a freshly seeded server, e.g.
 *   bash scripts/e2e-server.sh 3100 &   # production build, new embedded database, demo data
 *   BASE_URL=http://127.0.0.1:3100 npx tsx scripts/dashboard-screenshots.ts
 * It books a handful of appointments (some paid through the sandbox, one checked in) so the pages
 * have something to show. Not part of the test suite.
 */
import { chromium, request as playwrightRequest } from "@playwright/test";
import { DateTime } from "luxon";
import { signUpByEmail, staffToken } from "./sign-up";

const BASE = process.env.BASE_URL ?? "http://127.0.0.1:3100";
const ZONE = "Asia/Shanghai";
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

type Slot = { id: string; startsAt: string; state: string };

async function json<T>(res: { json(): Promise<unknown>; status(): number; url(): string }): Promise<T> {
  if (res.status() >= 400) throw new Error(`${res.url()} → ${res.status()} ${JSON.stringify(await res.json())}`);
  return (await res.json()) as T;
}

async function tokenFor(name: string, i: number): Promise<Record<string, string>> {
  const email = `shot-${Date.now().toString(36)}-${i}@example.com`;
  return { authorization: `Bearer ${await signUpByEmail(BASE, await staffToken(BASE), { name, email, password: "password-123" })}` };
}

async function main() {
  const api = await playwrightRequest.newContext({ baseURL: BASE });
  const staffToken = (
    await json<{ token: string }>(await api.post("/api/v1/auth/token", { data: { email: "staff@yuyue.demo", password: "demo1234" } }))
  ).token;
  const staff = { authorization: `Bearer ${staffToken}` };
  const today = DateTime.now().setZone(ZONE);
  const dates = [0, 1].map((d) => today.plus({ days: d }).toISODate()!);

  // An evening service open today and tomorrow, so "today" has appointments whatever the hour.
  const { service } = await json<{ service: { id: string } }>(
    await api.post("/api/v1/staff/services", {
      headers: staff,
      data: {
        name: "肩颈放松（45 分钟）",
        nameEn: "Neck and shoulder relief (45 min)",
        durationMin: 45,
        priceFen: 16800,
        capacity: 1,
        rules: { minNoticeMin: 0, payment: { mode: "full" } },
        schedule: { dateOverrides: Object.fromEntries(dates.map((d) => [d, [{ start: "00:00", end: "24:00" }]])), slotIntervalMin: 60 },
      },
    }),
  );
  await json(await api.post(`/api/v1/staff/services/${service.id}/timeslots/generate`, { headers: staff, data: { days: 2 } }));
  const services = (
    await json<{
      services: {
        id: string;
        priceFen: number;
        capacity: number;
        fields: { key: string; type: string; options?: { value: string }[] }[];
      }[];
    }>(await api.get("/api/v1/services"))
  ).services;

  const names = ["王晓明", "陈静", "刘洋", "赵丽", "孙伟", "周婷", "吴昊", "郑敏", "黄磊", "林悦"];
  let n = 0;
  for (const s of services) {
    const to = today.plus({ days: 6 }).toISODate()!;
    const { slots } = await json<{ slots: Slot[] }>(await api.get(`/api/v1/services/${s.id}/availability?from=${dates[0]}&to=${to}`));
    const open = slots.filter((x) => x.state === "open");
    // A couple of appointments a day, spread over the week, so the charts and the calendar have a shape.
    const byDay = new Map<string, Slot[]>();
    for (const x of open) {
      const day = DateTime.fromISO(x.startsAt, { zone: ZONE }).toISODate()!;
      byDay.set(day, [...(byDay.get(day) ?? []), x]);
    }
    const perDay = s.id === service.id ? 3 : 2;
    const picks = [...byDay.values()].flatMap((list) =>
      list.filter((_, i) => i % Math.max(1, Math.floor(list.length / perDay)) === 0).slice(0, perDay),
    );
    for (const slot of picks) {
      const name = names[n % names.length]!;
      const headers = await tokenFor(name, n++);
      const fields = Object.fromEntries(
        s.fields.map((f) => [f.key, f.type === "select" ? f.options?.[0]?.value : f.type === "checkbox" ? true : "肩颈不适"]),
      );
      const res = await api.post("/api/v1/bookings", { headers, data: { timeslotId: slot.id, fields } });
      if (res.status() !== 201) continue;
      const { booking } = (await res.json()) as { booking: { id: string; status: string } };
      if (booking.status === "pending_payment" && n % 2 === 0) {
        const order = await json<{ payUrl?: string; h5Url?: string; codeUrl?: string }>(
          await api.post(`/api/v1/bookings/${booking.id}/pay`, { headers, data: { provider: n % 4 === 0 ? "wechat" : "alipay" } }),
        );
        const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
        const cashier = await browser.newPage();
        await cashier.goto(order.payUrl ?? order.h5Url ?? order.codeUrl ?? "");
        await cashier.getByRole("button", { name: /Approve/ }).click();
        await browser.close();
      }
    }
  }

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  const page = await browser.newPage({
    baseURL: BASE,
    viewport: { width: 1280, height: 900 },
    locale: "zh-CN",
    timezoneId: ZONE,
    deviceScaleFactor: 1,
  });
  await page.goto("/signin?callbackUrl=/dashboard");
  await page.getByLabel(/邮箱或手机号/).fill("staff@yuyue.demo");
  await page.getByLabel(/^密码$/).fill("demo1234");
  await page.getByRole("button", { name: /^登录$/ }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/signin"));
  await page.goto(`/dashboard?from=${dates[0]}&to=${today.plus({ days: 13 }).toISODate()}`);
  await page.getByTestId("chart-revenue").waitFor();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: "public/docs/dashboard-overview.png", fullPage: true });
  await page.goto(`/dashboard/calendar?view=week&date=${today.plus({ days: 1 }).toISODate()}`);
  await page.getByTestId("staff-calendar").waitFor();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: "public/docs/dashboard-calendar.png", fullPage: true });
  await browser.close();
  await api.dispose();
  console.log("wrote public/docs/dashboard-overview.png and public/docs/dashboard-calendar.png");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
