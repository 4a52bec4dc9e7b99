import { expect, test, type APIRequestContext } from "@playwright/test";
import { DateTime } from "luxon";
import { registerByEmail, signIn, unique } from "./helpers";

/**
 * 候补: a customer finds the tuina slot they want full, joins its waitlist from the booker, the
 * booking holding it is cancelled, the seat is held for them and the offer reaches their inbox
 * with a pay link; they pay the deposit through the sandbox gateway and the seat is theirs.
 */
async function register(request: APIRequestContext, name: string) {
  const email = `${unique("wl")}@example.com`;
  const password = "password-123";
  const res = await registerByEmail(request, { email, password, name });
  expect(res.status(), await res.text()).toBe(201);
  const { token } = (await res.json()) as { token: string };
  return { email, password, headers: { authorization: `Bearer ${token}` } };
}

test("join a full slot's waitlist, get the offer in the inbox, pay it", async ({ page, request, isMobile }) => {
  test.skip(!isMobile, "pays as a phone does (the wallet opens in the same tab); the desk pays by QR in payments.spec");
  test.setTimeout(180_000);
  const owner = await register(request, "先约顾客");
  const waiter = await register(request, "候补顾客");
  const services = (await (await request.get("/api/v1/services")).json()).services as { id: string; depositFen: number }[];
  const tuina = services.find((s) => s.depositFen === 5000)!;

  // The owner takes a tuina slot (one seat): it is full for everyone else.
  let taken: { bookingId: string; slotId: string; day: string } | undefined;
  for (let attempt = 0; attempt < 20 && !taken; attempt++) {
    const day = DateTime.now()
      .setZone("Asia/Shanghai")
      .plus({ days: 3 + Math.floor(Math.random() * 22) })
      .toISODate()!;
    const { slots } = await (await request.get(`/api/v1/services/${tuina.id}/availability?from=${day}&to=${day}`)).json();
    const open = (slots as { id: string; state: string }[]).filter((s) => s.state === "open");
    const slot = open[Math.floor(Math.random() * open.length)];
    if (!slot) continue;
    const res = await request.post("/api/v1/bookings", {
      headers: owner.headers,
      data: { timeslotId: slot.id, fields: { symptoms: "腰痛" } },
    });
    if (res.status() === 201) taken = { bookingId: (await res.json()).booking.id, slotId: slot.id, day };
  }
  if (!taken) throw new Error("no open tuina slot found");

  // The waiter opens that slot in the booker: full, with 加入候补.
  await signIn(page, waiter.email, waiter.password, `/services/${tuina.id}?date=${taken.day}&slot=${taken.slotId}`);
  await expect(page.getByTestId("slot-details")).toHaveAttribute("data-state", "full");
  const form = page.getByTestId("waitlist-form");
  await form.getByLabel(/不适部位或症状/).fill("肩颈酸痛");
  await form.getByRole("button", { name: "加入候补" }).click();
  await expect(page.getByTestId("waitlist-joined")).toContainText("您排在第 1 位");

  await page.goto("/me");
  await expect(page.getByTestId("my-waitlist").getByTestId("waitlist-item")).toHaveAttribute("data-status", "waiting");

  // The booking holding the seat is cancelled: the seat is held for the waiter at once.
  const cancel = await request.post(`/api/v1/bookings/${taken.bookingId}/cancel`, { headers: owner.headers, data: {} });
  expect(cancel.status()).toBe(200);
  const entries = (await (await request.get("/api/v1/waitlist", { headers: waiter.headers })).json()).entries as {
    status: string;
    bookingId: string | null;
  }[];
  expect(entries[0]).toMatchObject({ status: "offered" });
  const heldId = entries[0]!.bookingId!;

  // The offer arrives in the inbox (delivered by the outbox worker) with its pay link.
  await page.goto("/me/inbox");
  const offer = page.getByTestId("inbox-item").filter({ hasText: "候补成功" });
  await expect(async () => {
    await page.reload();
    await expect(offer).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 45_000 });
  await offer.getByTestId(/^inbox-link-(offer|pay)$/).click();
  await expect(page).toHaveURL(new RegExp(`/bookings/${heldId}/pay`));
  await expect(page.getByTestId("pay-amount")).toHaveText("¥50.00");

  // Pay with Alipay in the sandbox wallet, as a phone does: the wallet opens in this tab.
  await page.getByRole("button", { name: "支付宝" }).click();
  await page.waitForURL((url) => url.pathname.endsWith("/cashier"));
  await page.getByRole("button", { name: /Approve/ }).click();
  await page.waitForURL((url) => !url.pathname.endsWith("/cashier"));
  if (!page.url().includes(`/bookings/${heldId}`)) await page.goto(`/bookings/${heldId}/pay?returned=1`);
  await expect(page).toHaveURL(new RegExp(`/bookings/${heldId}`), { timeout: 45_000 });
  await expect(page.getByTestId("booking-title")).toHaveText("预约成功");

  const after = (await (await request.get("/api/v1/waitlist", { headers: waiter.headers })).json()).entries as { status: string }[];
  expect(after[0]).toMatchObject({ status: "booked" });
});
