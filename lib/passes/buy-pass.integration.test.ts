import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as bookRoute } from "@/app/api/v1/bookings/route";
import { POST as buyRoute } from "@/app/api/v1/pass-plans/[id]/buy/route";
import { GET as myPassesRoute } from "@/app/api/v1/me/passes/route";
import { getDb } from "@/db/client";
import { passes, passSales, payments, refunds } from "@/db/schema";
import { issueApiToken } from "@/lib/auth/api-tokens";
import { handlePaymentNotify } from "@/lib/booking/payments";
import { handleSandboxRequest, sandboxGatewayFromEnv } from "@/lib/payments/providers";
import { setupTestDb, uniq } from "@/tests/db";
import { ensureBusiness, makeCustomer, makeService, makeSlot } from "@/tests/fixtures";
import { callRoute } from "@/tests/routes";
import { serveFetch, type RunningServer } from "@/tests/serve-fetch";
import { refundPass } from "./adjust-pass";
import { savePassPlan } from "./save-plan";

// The app's public URL is where the gateway sends notifies: a local server standing in for it.
const port = vi.hoisted(() => {
  const p = 41000 + Math.floor(Math.random() * 8000);
  process.env.APP_URL = `http://127.0.0.1:${p}`;
  return p;
});

setupTestDb();

let server: RunningServer;
beforeAll(async () => {
  server = await serveFetch(async (req) => {
    const path = new URL(req.url).pathname;
    if (path.startsWith("/sandbox-gateway")) return handleSandboxRequest(req);
    return handlePaymentNotify(path.includes("/wechat/") ? "wechat" : "alipay", req.headers, await req.text());
  }, port);
});
afterAll(() => server.close());

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(["alipay", "wechat"] as const)("buying a card online with %s through the sandbox", (provider) => {
  it("issues the card once when paid (redeliveries change nothing), then books at ¥0 with it; refund goes back through the gateway", async () => {
    const db = getDb();
    const business = await ensureBusiness(db);
    const clerk = await makeCustomer(db, { role: "staff" });
    const service = await makeService(db, { priceFen: 8800 });
    const plan = await savePassPlan({
      kind: "visits",
      name: uniq("5次卡"),
      priceFen: 39900,
      visits: 5,
      bonusFen: 0,
      discountPercent: null,
      serviceIds: [service.id],
      validDays: 180,
      active: true,
      businessId: business.id,
      actorId: clerk.id,
    });
    const customer = await makeCustomer(db);
    const { token } = await issueApiToken(customer.id);
    const res = await callRoute(buyRoute, {
      path: `/api/v1/pass-plans/${plan.id}/buy`,
      ip: uniq("ip"),
      token,
      body: { provider, channel: "qr" },
      params: { id: plan.id },
    });
    expect(res.status).toBe(201);
    const bought = (await res.json()) as Json;
    expect(bought.payment).toMatchObject({ amountFen: 39900, status: "pending", bookingId: null });
    expect(bought.codeUrl).toBeTruthy();
    // Nothing issued before the money arrives.
    expect(await db.select().from(passes).where(eq(passes.customerId, customer.id))).toHaveLength(0);

    await sandboxGatewayFromEnv().approve(bought.payment.outTradeNo);
    for (let i = 0; i < 3; i++) await sandboxGatewayFromEnv().redeliver(bought.payment.outTradeNo);
    const held = await db.select().from(passes).where(eq(passes.customerId, customer.id));
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ kind: "visits", remainingUses: 5, pricePaidFen: 39900 });
    const [sale] = await db.select().from(passSales).where(eq(passSales.id, bought.sale.id));
    expect(sale).toMatchObject({ status: "paid", method: provider, channel: "online", passId: held[0]!.id });

    const mine = (await (await callRoute(myPassesRoute, { path: "/api/v1/me/passes", ip: uniq("ip"), token })).json()) as Json;
    expect(mine.passes).toEqual([expect.objectContaining({ id: held[0]!.id, kind: "visits", remainingUses: 5 })]);

    const slot = await makeSlot(db, service);
    const booked = await callRoute(bookRoute, {
      path: "/api/v1/bookings",
      ip: uniq("ip"),
      token,
      body: { timeslotId: slot.id, passId: held[0]!.id },
    });
    expect(booked.status).toBe(201);
    expect(((await booked.json()) as Json).booking).toMatchObject({ status: "confirmed", amountDueFen: 0 });

    // 4 of 5 visits unused: 4/5 of ¥399 back to the original payment.
    const { refundFen } = await refundPass({ passId: held[0]!.id, method: "original", reason: "test", actorId: clerk.id });
    expect(refundFen).toBe(31920);
    const [payment] = await db.select().from(payments).where(eq(payments.outTradeNo, bought.payment.outTradeNo));
    const back = await db.select().from(refunds).where(eq(refunds.paymentId, payment!.id));
    expect(back).toEqual([expect.objectContaining({ amountFen: 31920, bookingId: null })]);
  });
});
