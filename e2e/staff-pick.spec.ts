import { expect, test, type APIRequestContext } from "@playwright/test";
import { DateTime } from "luxon";
import { pickerReady, registerByEmail, signIn, unique } from "./helpers";

/**
 * 选技师 on a phone: the seeded salon's haircut is offered by three stylists. A customer picks one
 * and books a time only that stylist has free, then takes "any available" for another time and is
 * given one of the three. Each test signs up its own customer and picks random days.
 */

const ZONE = "Asia/Shanghai";
const PASSWORD = "password-123";
type Staff = { id: string; name: string; title: string | null };
type ApiSlot = { id: string; startsAt: string; remaining: number; state: string; staff?: { id: string; remaining: number }[] };

const localDate = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toISODate() ?? "";

async function haircut(request: APIRequestContext): Promise<{ id: string; staff: Staff[] }> {
  const { services } = (await (await request.get("/api/v1/services")).json()) as {
    services: { id: string; name: string; staff?: Staff[] }[];
  };
  const found = services.find((s) => s.name.startsWith("女士精剪"));
  expect(found?.staff).toHaveLength(3);
  return { id: found!.id, staff: found!.staff! };
}

/** Open slots of a random day 2-20 days out where the stylist is free. */
async function freeFor(request: APIRequestContext, serviceId: string, staffId: string): Promise<ApiSlot[]> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const day = DateTime.now()
      .setZone(ZONE)
      .plus({ days: 2 + Math.floor(Math.random() * 18) })
      .toISODate();
    const res = await request.get(`/api/v1/services/${serviceId}/availability?from=${day}&to=${day}&staffId=${staffId}`);
    expect(res.status()).toBe(200);
    const open = ((await res.json()).slots as ApiSlot[]).filter((s) => s.state === "open" && s.remaining > 0);
    if (open.length > 1) return open;
  }
  throw new Error("no free day for the stylist");
}

test.describe("pick a stylist, then any available", () => {
  test.skip(({ isMobile }) => !isMobile, "the phone booker");

  test("books the stylist picked, then one assigned for 任意可约", async ({ page, request }) => {
    const { id, staff } = await haircut(request);
    const tony = staff.find((s) => s.name.startsWith("Tony"))!;
    const slots = await freeFor(request, id, tony.id);
    const [first, second] = [slots[0]!, slots[1]!];
    const email = `${unique("stylist")}@example.com`;
    const reg = await registerByEmail(request, { email, password: PASSWORD, name: unique("顾客") });
    expect(reg.status()).toBe(201);
    const headers = { authorization: `Bearer ${(await reg.json()).token as string}` };

    await signIn(page, email, PASSWORD, `/services/${id}?date=${localDate(first.startsAt)}`);
    await pickerReady(page);
    const picker = page.getByTestId("staff-picker");
    await expect(picker.locator("[data-staff-id]")).toHaveCount(4);
    await expect(picker.locator('[data-staff-id="any"]')).toHaveAttribute("aria-pressed", "true");
    const tonyChip = picker.locator(`[data-staff-id="${tony.id}"]`);
    await expect(tonyChip).toContainText(tony.title ?? "");
    await tonyChip.click();
    await expect(tonyChip).toHaveAttribute("aria-pressed", "true");

    const time = page.locator(`[data-slot-id="${first.id}"]`);
    await expect(time).toHaveAttribute("data-state", "open");
    await time.click();
    await page.getByRole("form", { name: "填写预约信息" }).getByTestId("book-bar").getByRole("button", { name: "立即预约" }).click();
    await expect(page).toHaveURL(/\/bookings\/[0-9a-f-]{36}$/);
    const firstId = page.url().split("/").pop()!;
    const booked = (await (await request.get(`/api/v1/bookings/${firstId}`, { headers })).json()).booking;
    expect(booked.staffId).toBe(tony.id);
    await expect(page.getByTestId("booking-staff")).toContainText(tony.name);

    // Back on the service: with Tony picked, his booked time is no longer offered; "any" still has it.
    await page.goto(`/services/${id}?date=${localDate(first.startsAt)}`);
    await pickerReady(page);
    await page.getByTestId("staff-picker").locator(`[data-staff-id="${tony.id}"]`).click();
    await expect(page.locator(`[data-slot-id="${first.id}"]`)).not.toHaveAttribute("data-state", "open");
    await page.getByTestId("staff-picker").locator('[data-staff-id="any"]').click();

    const other = page.locator(`[data-slot-id="${second.id}"]`);
    await expect(other).toHaveAttribute("data-state", "open");
    await other.click();
    await page.getByRole("form", { name: "填写预约信息" }).getByTestId("book-bar").getByRole("button", { name: "立即预约" }).click();
    await expect(page).toHaveURL(/\/bookings\/[0-9a-f-]{36}$/);
    const secondId = page.url().split("/").pop()!;
    expect(secondId).not.toBe(firstId);
    const assigned = (await (await request.get(`/api/v1/bookings/${secondId}`, { headers })).json()).booking;
    expect(staff.map((s) => s.id)).toContain(assigned.staffId);
    await expect(page.getByTestId("booking-staff")).toContainText(staff.find((s) => s.id === assigned.staffId)!.name);
  });
});
