import { expect, test, type APIRequestContext } from "@playwright/test";
import { DateTime } from "luxon";
import ical, { type VEvent } from "node-ical";
import { registerByEmail, signIn, unique } from "./helpers";

/**
 * 每周重复预约: a customer books a tuina time weekly for 4 weeks from the booker; the second week
 * is full (another customer has it), so it is listed as unavailable and left out; the other three
 * are booked together and paid once through the sandbox wallet. Their calendar subscription from
 * /me is valid iCalendar with the three weeks and changes when one of them is moved.
 */
type Slot = { id: string; startsAt: string; state: string };

async function register(request: APIRequestContext, name: string) {
  const email = `${unique("series")}@example.com`;
  const password = "password-123";
  const res = await registerByEmail(request, { email, password, name });
  expect(res.status(), await res.text()).toBe(201);
  const { token } = (await res.json()) as { token: string };
  return { email, password, headers: { authorization: `Bearer ${token}` } };
}

/** A tuina time open in weeks 1, 3 and 4 (and week 2 open or already full), 3-6 days ahead: the seed has 28 days of slots. */
async function weeklyTime(request: APIRequestContext, serviceId: string) {
  const today = DateTime.now().setZone("Asia/Shanghai");
  const from = today.plus({ days: 3 }).toISODate()!;
  const to = today.plus({ days: 27 }).toISODate()!;
  const { slots } = (await (await request.get(`/api/v1/services/${serviceId}/availability?from=${from}&to=${to}`)).json()) as {
    slots: Slot[];
  };
  const at = new Map(slots.map((s) => [Date.parse(s.startsAt), s]));
  const firsts = slots.filter((s) => s.state === "open" && Date.parse(s.startsAt) < today.plus({ days: 7 }).toMillis());
  for (const first of firsts.sort(() => Math.random() - 0.5)) {
    const weeks = [0, 1, 2, 3].map((k) => at.get(Date.parse(first.startsAt) + k * 7 * 86_400_000));
    if (weeks.every(Boolean) && [0, 2, 3].every((k) => weeks[k]!.state === "open") && weeks[1]!.state !== "closed") {
      return weeks as Slot[];
    }
  }
  throw new Error("no weekly tuina time found");
}

const events = (text: string): VEvent[] =>
  Object.values(ical.sync.parseICS(text)).filter((c): c is VEvent => (c as { type?: string }).type === "VEVENT");

test("book a weekly series of 4 with one week skipped, pay once, subscribe to the calendar", async ({ page, request, isMobile }) => {
  test.skip(!isMobile, "pays as a phone does (the wallet opens in the same tab)");
  test.setTimeout(180_000);
  const services = (await (await request.get("/api/v1/services")).json()).services as { id: string; depositFen: number }[];
  const tuina = services.find((s) => s.depositFen === 5000)!;
  const weeks = await weeklyTime(request, tuina.id);

  // Another customer has week 2: it is full for everyone else.
  const other = await register(request, "先约顾客");
  if (weeks[1]!.state === "open") {
    const taken = await request.post("/api/v1/bookings", {
      headers: other.headers,
      data: { timeslotId: weeks[1]!.id, fields: { symptoms: "腰痛" } },
    });
    expect(taken.status(), await taken.text()).toBe(201);
  }

  const me = await register(request, "每周顾客");
  const day = DateTime.fromISO(weeks[0]!.startsAt).setZone("Asia/Shanghai").toISODate();
  await signIn(page, me.email, me.password, `/services/${tuina.id}?date=${day}&slot=${weeks[0]!.id}`);
  await page.getByTestId("book-weekly").click();
  await expect(page).toHaveURL(new RegExp(`/services/${tuina.id}/series\\?slot=${weeks[0]!.id}`));

  // Four weeks listed: the second unavailable (full) and unticked, the others ticked.
  const rows = page.getByTestId("series-week");
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(1)).toHaveAttribute("data-available", "false");
  await expect(rows.nth(1).getByTestId("series-week-status")).toHaveText("已约满");
  await expect(rows.nth(1).getByRole("checkbox")).toBeDisabled();
  for (const k of [0, 2, 3]) await expect(rows.nth(k).getByRole("checkbox")).toBeChecked();
  await page.getByLabel(/不适部位或症状/).fill("肩颈酸痛");
  await page.getByRole("button", { name: "确认预约 3 周" }).click();

  // One payment for the three deposits.
  await expect(page).toHaveURL(/\/series\/[0-9a-f-]+\/pay/);
  const seriesId = /\/series\/([0-9a-f-]+)\/pay/.exec(page.url())![1]!;
  await expect(page.getByTestId("pay-amount")).toHaveText("¥150.00");
  await page.getByRole("button", { name: "支付宝" }).click();
  await page.waitForURL((url) => url.pathname.endsWith("/cashier"));
  await page.getByRole("button", { name: /Approve/ }).click();
  await page.waitForURL((url) => !url.pathname.endsWith("/cashier"));
  if (!page.url().includes(`/series/${seriesId}`)) await page.goto(`/series/${seriesId}/pay?returned=1`);
  await expect(page.getByTestId("series-title")).toHaveText("每周预约已确认", { timeout: 45_000 });
  const booked = page.getByTestId("series-booking");
  await expect(booked).toHaveCount(3);
  for (const k of [0, 1, 2]) await expect(booked.nth(k).getByTestId("booking-status")).toHaveAttribute("data-status", "confirmed");

  const { series } = (await (await request.get(`/api/v1/series/${seriesId}`, { headers: me.headers })).json()) as {
    series: { bookings: { id: string; timeslotId: string; status: string }[] };
  };
  expect(series.bookings.map((b) => b.timeslotId)).toEqual([weeks[0]!.id, weeks[2]!.id, weeks[3]!.id]);

  // The calendar subscription from /me: valid iCalendar with the three weeks.
  await page.goto("/me");
  const feed = page.getByTestId("calendar-feed");
  await feed.getByRole("button", { name: "生成订阅地址" }).click();
  const url = await feed.getByTestId("feed-url").inputValue();
  expect(url).toMatch(/\/api\/v1\/feeds\/[A-Za-z0-9_-]{43}\.ics$/);
  const fetchFeed = async () => {
    const res = await request.get(new URL(url).pathname);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toContain("text/calendar");
    return res.text();
  };
  const before = await fetchFeed();
  const uids = series.bookings.map((b) => `${b.id}@yuyue`);
  expect(
    events(before)
      .map((e) => e.uid)
      .sort(),
  ).toEqual([...uids].sort());

  // Week 4 moves a day later: the same event, a later start and a higher SEQUENCE.
  const moved = series.bookings[2]!;
  const target = await (async () => {
    for (let d = 1; d <= 3; d++) {
      const date = DateTime.fromISO(weeks[3]!.startsAt).setZone("Asia/Shanghai").plus({ days: d }).toISODate()!;
      const { slots } = (await (await request.get(`/api/v1/services/${tuina.id}/availability?from=${date}&to=${date}`)).json()) as {
        slots: Slot[];
      };
      const open = slots.find((s) => s.state === "open");
      if (open) return open;
    }
    throw new Error("no slot to move to");
  })();
  const res = await request.post(`/api/v1/bookings/${moved.id}/reschedule`, { headers: me.headers, data: { timeslotId: target.id } });
  expect(res.status(), await res.text()).toBe(200);
  const after = await fetchFeed();
  expect(after).not.toBe(before);
  const event = events(after).find((e) => e.uid === `${moved.id}@yuyue`)!;
  expect(event.start.toISOString()).toBe(new Date(target.startsAt).toISOString());
  expect(Number(event.sequence)).toBe(1);
  expect(events(after)).toHaveLength(3);
});
