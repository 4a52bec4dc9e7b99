import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, devices, expect, test, type APIRequestContext, type Page } from "@playwright/test";
import jsQR from "jsqr";
import { DateTime } from "luxon";
import { PNG } from "pngjs";
import QRCode from "qrcode";
import { demo, enterMailedCode, pickerReady, registerByEmail, signIn, unique, uniquePhone } from "./helpers";

/**
 * The phone booker (date strip → time → form → sticky bar), forms that keep what was typed, the
 * voucher (its QR decoded back to the code) and the camera check-in fed that QR through Chromium's
 * fake video capture. Each test signs up its own customer and picks a random open slot.
 */

const ZONE = "Asia/Shanghai";
const PASSWORD = "password-123";
type ApiSlot = { id: string; startsAt: string; endsAt: string; remaining: number; state?: string };

const localDate = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toISODate() ?? "";
const localTime = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toFormat("HH:mm");

async function serviceId(request: APIRequestContext, prefix: string): Promise<string> {
  const { services } = (await (await request.get("/api/v1/services")).json()) as { services: { id: string; name: string }[] };
  const found = services.find((s) => s.name.startsWith(prefix));
  expect(found, prefix).toBeTruthy();
  return found!.id;
}

async function openSlots(request: APIRequestContext, id: string, fromDays: number, toDays: number, headers?: Record<string, string>) {
  const today = DateTime.now().setZone(ZONE).startOf("day");
  const res = await request.get(
    `/api/v1/services/${id}/availability?from=${today.plus({ days: fromDays }).toISODate()}&to=${today.plus({ days: toDays }).toISODate()}`,
    { headers },
  );
  expect(res.status()).toBe(200);
  return ((await res.json()).slots as ApiSlot[]).filter((s) => s.remaining > 0 && (s.state ?? "open") === "open");
}

async function newCustomer(request: APIRequestContext) {
  const email = `${unique("booker")}@example.com`;
  const res = await registerByEmail(request, { email, password: PASSWORD, name: unique("顾客") });
  expect(res.status()).toBe(201);
  return { email, headers: { authorization: `Bearer ${(await res.json()).token as string}` } };
}

/** The QR in an <img> (a PNG data URL) read back with jsQR, as a phone's scanner would. */
async function decodeQrImage(page: Page, testId: string): Promise<string | undefined> {
  const src = (await page.getByTestId(testId).getAttribute("src")) ?? "";
  expect(src).toMatch(/^data:image\/png;base64,/);
  const png = PNG.sync.read(Buffer.from(src.split(",")[1]!, "base64"));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

/** A Y4M video (what Chromium's fake camera plays in a loop) showing `text` as a QR code on white. */
function qrVideo(text: string): string {
  const [w, h] = [640, 480];
  const qr = QRCode.create(text, { errorCorrectionLevel: "M" });
  const n = qr.modules.size;
  const cell = Math.floor(400 / (n + 8));
  const x0 = Math.floor((w - n * cell) / 2);
  const y0 = Math.floor((h - n * cell) / 2);
  const luma = Buffer.alloc(w * h, 255);
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++)
      if (qr.modules.get(r, c))
        for (let y = 0; y < cell; y++) luma.fill(0, (y0 + r * cell + y) * w + x0 + c * cell, (y0 + r * cell + y) * w + x0 + (c + 1) * cell);
  const chroma = Buffer.alloc((w / 2) * (h / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), luma, chroma]);
  const file = join(mkdtempSync(join(tmpdir(), "yuyue-qr-")), "qr.y4m");
  writeFileSync(
    file,
    Buffer.concat([Buffer.from(`YUV4MPEG2 W${w} H${h} F10:1 Ip A1:1 C420jpeg\n`), ...Array.from({ length: 10 }, () => frame)]),
  );
  return file;
}

test("the phone booker: a date on the strip, a time with its seats, the form, then 立即预约 in the sticky bar", async ({
  page,
  request,
  isMobile,
}) => {
  const id = await serviceId(request, "免费健康咨询");
  const slots = await openSlots(request, id, 2, 12);
  const slot = slots[Math.floor(Math.random() * slots.length)]!;
  const customer = await newCustomer(request);

  // No ?date: the page opens on the first day with open times, rendered on the server.
  await signIn(page, customer.email, PASSWORD, `/services/${id}`);
  const picker = page.getByTestId("slot-picker");
  await expect(picker.getByTestId("time-list").locator("[data-slot-id]").first()).toBeVisible();
  if (isMobile) {
    await expect(page.getByTestId("date-strip")).toBeVisible();
    await expect(page.getByTestId("month-grid")).toBeHidden();
  } else {
    await expect(page.getByTestId("month-grid")).toBeVisible();
    await expect(page.getByTestId("date-strip")).toBeHidden();
  }
  await pickerReady(page);
  const dates = page.getByTestId(isMobile ? "date-strip" : "month-grid");
  const day = dates.locator(`[data-date="${localDate(slot.startsAt)}"]`);
  await expect(day).toHaveAttribute("data-mark", "open");
  await day.click();
  await expect(day).toHaveAttribute("aria-pressed", "true");

  const time = picker.locator(`[data-slot-id="${slot.id}"]`);
  await expect(time).toContainText(localTime(slot.startsAt));
  await expect(time).toContainText(`剩 ${slot.remaining} 位`);
  await time.click();
  await expect(page.getByTestId("slot-time")).toContainText(localTime(slot.startsAt));

  const form = page.getByRole("form", { name: "填写预约信息" });
  await form.getByLabel("想咨询的问题").fill("颈椎不舒服");
  const bar = form.getByTestId("book-bar");
  await expect(bar.getByTestId("book-bar-price")).toHaveText("免费");
  if (isMobile) {
    // Sticky: the bar sits inside the viewport's bottom edge while the form is on screen.
    const box = await bar.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y + box!.height).toBeLessThanOrEqual(page.viewportSize()!.height + 1);
  }
  await bar.getByRole("button", { name: "立即预约" }).click();
  await expect(page).toHaveURL(/\/bookings\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("booking-time")).toContainText(`${localTime(slot.startsAt)}–${localTime(slot.endsAt)}`);
});

test("the sticky bar shows the price and the 定金 paid online for a deposit service", async ({ page, request }) => {
  const id = await serviceId(request, "中医推拿");
  const slot = (await openSlots(request, id, 2, 12))[0]!;
  const customer = await newCustomer(request);
  await signIn(page, customer.email, PASSWORD, `/services/${id}?date=${localDate(slot.startsAt)}`);
  await pickerReady(page);
  await page.locator(`[data-slot-id="${slot.id}"]`).click();
  const bar = page.getByTestId("book-bar");
  await expect(bar.getByTestId("book-bar-price")).toHaveText("¥288.00");
  await expect(bar.getByTestId("book-bar-deposit")).toHaveText("在线付定金 ¥50.00，余款到店付");
});

test("the service page ships under 250 KB of JavaScript and no calendar library", async ({ page, request }) => {
  const id = await serviceId(request, "免费健康咨询");
  const scripts: string[] = [];
  page.on("response", (r) => {
    if (r.request().resourceType() === "script") scripts.push(r.url());
  });
  await page.goto(`/services/${id}`);
  await expect(page.getByTestId("slot-picker")).toBeVisible();
  await page.waitForLoadState("networkidle");
  const sizes = await page.evaluate(() =>
    performance
      .getEntriesByType("resource")
      .filter((e) => (e as PerformanceResourceTiming).initiatorType === "script")
      .map((e) => ({
        name: e.name,
        encoded: (e as PerformanceResourceTiming).encodedBodySize,
        decoded: (e as PerformanceResourceTiming).decodedBodySize,
      })),
  );
  const encoded = sizes.reduce((n, s) => n + s.encoded, 0);
  const decoded = sizes.reduce((n, s) => n + s.decoded, 0);
  console.log(
    `service page JS: ${sizes.length} scripts, ${Math.round(encoded / 1024)} KB transferred, ${Math.round(decoded / 1024)} KB uncompressed`,
  );
  expect(encoded).toBeGreaterThan(0);
  expect(encoded).toBeLessThan(250 * 1024);
  expect(await page.locator(".rbc-calendar").count()).toBe(0);
});

test("sign-up keeps what was typed after a server error, and a field's error goes once it is fixed", async ({ page }) => {
  const name = unique("顾客");
  const phone = uniquePhone();
  const email = `${unique("keep")}@example.com`;
  await page.goto("/signup");
  await page.getByLabel("姓名").fill(name);
  await page.getByLabel("手机号").fill(phone);
  await page.getByLabel("邮箱").fill(email);
  await page.getByLabel("密码").fill("short");
  await page.getByRole("checkbox", { name: /隐私政策/ }).check();
  await page.getByRole("button", { name: "注册" }).click();
  const tooShort = page.getByText("密码至少 8 位");
  await expect(tooShort).toBeVisible();
  await expect(page.getByLabel("姓名")).toHaveValue(name);
  await expect(page.getByLabel("手机号")).toHaveValue(phone);
  await expect(page.getByLabel("邮箱")).toHaveValue(email);
  await expect(page.getByLabel("密码")).toHaveValue("short");
  await page.getByLabel("密码").fill(PASSWORD);
  await expect(tooShort).toHaveCount(0);

  // Without a phone number the sign-up needs no SMS code; the address is proved by the mailed code,
  // asked for on the same form, with everything typed still there.
  await page.getByLabel("手机号").fill("");
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page.getByLabel("邮箱验证码")).toBeVisible();
  await expect(page.getByLabel("姓名")).toHaveValue(name);
  await expect(page.getByLabel("邮箱", { exact: true })).toHaveValue(email);
  await expect(page.getByLabel("密码")).toHaveValue(PASSWORD);
  await enterMailedCode(page, email);
  await expect(page).toHaveURL(/\/me$/);
});

test("sign-in keeps the identifier after a wrong password", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel(/邮箱或手机号/).fill(demo.customer.email);
  await page.getByLabel(/^密码$/).fill("wrong-password");
  await page.getByRole("button", { name: /^登录$/ }).click();
  await expect(page.locator("form").getByRole("alert")).toBeVisible();
  await expect(page.getByLabel(/邮箱或手机号/)).toHaveValue(demo.customer.email);
  await expect(page).toHaveURL(/\/signin/);
});

test("the confirmation is a voucher whose QR reads back as the code; an unpaid one is greyed with a countdown", async ({
  page,
  request,
}) => {
  const consult = await serviceId(request, "免费健康咨询");
  const customer = await newCustomer(request);
  let booked: { id: string; code: string } | undefined;
  for (const slot of (await openSlots(request, consult, 2, 20)).sort(() => Math.random() - 0.5).slice(0, 5)) {
    const res = await request.post("/api/v1/bookings", { headers: customer.headers, data: { timeslotId: slot.id, fields: {} } });
    if (res.status() === 201) {
      booked = (await res.json()).booking;
      break;
    }
  }
  expect(booked).toBeDefined();

  await signIn(page, customer.email, PASSWORD, `/bookings/${booked!.id}`);
  const voucher = page.getByTestId("voucher");
  await expect(voucher).toHaveAttribute("data-valid", "true");
  await expect(voucher.getByTestId("booking-code")).toHaveText(booked!.code);
  expect(await decodeQrImage(page, "voucher-qr")).toBe(booked!.code);
  await expect(voucher.getByTestId("voucher-desk")).toHaveText("无需到店支付");
  await expect(voucher.getByTestId("voucher-map")).toHaveAttribute("href", /^https:\/\/uri\.amap\.com\/search\?keyword=/);
  await expect(voucher.getByTestId("voucher-phone")).toHaveAttribute("href", /^tel:/);
  const [download] = await Promise.all([page.waitForEvent("download"), voucher.getByTestId("voucher-ics").click()]);
  const ics = await (await request.get(`/bookings/${booked!.id}/calendar`, { headers: { cookie: await cookieHeader(page) } })).text();
  expect(download.suggestedFilename()).toMatch(/\.ics$/);
  expect(ics).toContain("BEGIN:VCALENDAR");
  expect(ics).toContain(`UID:${booked!.id}@yuyue`);
  expect(ics).toContain(booked!.code);
  // Someone else's booking has no calendar file.
  expect((await request.get(`/bookings/${booked!.id}/calendar`)).status()).toBe(401);

  // An unpaid yoga seat: the voucher is greyed until the deposit is paid, the hold counts down.
  const yoga = await serviceId(request, "晨间流瑜伽");
  let unpaid: { id: string } | undefined;
  for (const slot of (await openSlots(request, yoga, 2, 20)).sort(() => Math.random() - 0.5).slice(0, 5)) {
    const res = await request.post("/api/v1/bookings", {
      headers: customer.headers,
      data: { timeslotId: slot.id, fields: { level: "beginner" } },
    });
    if (res.status() === 201) {
      unpaid = (await res.json()).booking;
      break;
    }
  }
  expect(unpaid).toBeDefined();
  await page.goto(`/bookings/${unpaid!.id}`);
  await expect(page.getByTestId("voucher")).toHaveAttribute("data-valid", "false");
  await expect(page.getByTestId("voucher-state")).toHaveText("支付定金后生效");
  const countdown = page.getByTestId("payment-due").getByTestId("hold-countdown");
  await expect(countdown).toContainText(/名额保留剩余 \d{2}:\d{2}/);
  const first = Number(await countdown.getAttribute("data-seconds"));
  await expect.poll(async () => Number(await countdown.getAttribute("data-seconds"))).toBeLessThan(first);
});

async function cookieHeader(page: Page) {
  return (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
}

test("staff check a voucher in by pointing the phone camera at its QR", async ({ request }, testInfo) => {
  test.setTimeout(180_000);
  // A free service open today and tomorrow, so the booking is within its check-in window.
  const token = (await (await request.post("/api/v1/auth/token", { data: demo.staff })).json()).token as string;
  const staff = { authorization: `Bearer ${token}` };
  const days = [0, 1].map((n) => DateTime.now().setZone(ZONE).plus({ days: n }).toISODate()!);
  const created = await request.post("/api/v1/staff/services", {
    headers: staff,
    data: {
      name: unique("扫码服务"),
      durationMin: 30,
      priceFen: 0,
      rules: { minNoticeMin: 0 },
      schedule: { dateOverrides: Object.fromEntries(days.map((d) => [d, [{ start: "00:00", end: "23:30" }]])), slotIntervalMin: 30 },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const id = (await created.json()).service.id as string;
  const gen = await request.post(`/api/v1/staff/services/${id}/timeslots/generate`, { headers: staff, data: { from: days[0], days: 2 } });
  expect((await gen.json()).created).toBeGreaterThan(0);
  const customer = await newCustomer(request);
  const slot = (await openSlots(request, id, 0, 1, customer.headers))[0]!;
  const res = await request.post("/api/v1/bookings", { headers: customer.headers, data: { timeslotId: slot.id, fields: {} } });
  expect(res.status(), await res.text()).toBe(201);
  const booking = (await res.json()).booking as { code: string; status: string };
  expect(booking.status).toBe("confirmed");

  // The staff phone: a Chromium whose camera plays a video of the voucher's QR code.
  const launch = testInfo.project.use.launchOptions ?? {};
  const browser = await chromium.launch({
    ...launch,
    args: [
      ...(launch.args ?? []),
      "--use-fake-device-for-media-stream",
      "--use-fake-ui-for-media-stream",
      `--use-file-for-fake-video-capture=${qrVideo(booking.code)}`,
    ],
  });
  try {
    const context = await browser.newContext({
      ...devices["Pixel 7"],
      baseURL: testInfo.project.use.baseURL,
      locale: "zh-CN",
      timezoneId: ZONE,
      permissions: ["camera"],
    });
    const page = await context.newPage();
    await signIn(page, demo.staff.email, demo.staff.password, "/dashboard");
    const form = page.getByTestId("check-in-form");
    await form.getByRole("button", { name: "扫码核销" }).click();
    await expect(page.getByTestId("check-in-result")).toContainText(`${booking.code} 已签到`, { timeout: 30_000 });
    await expect(page.getByTestId("qr-video")).toHaveCount(0);
    await context.close();
  } finally {
    await browser.close();
  }
});
