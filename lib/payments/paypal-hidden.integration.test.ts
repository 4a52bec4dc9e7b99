import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { POST as pay } from "@/app/api/v1/bookings/[id]/pay/route";
import { POST as paypalNotify } from "@/app/api/payments/paypal/notify/route";
import { getDb } from "@/db/client";
import { bookings, payments } from "@/db/schema";
import { issueApiToken } from "@/lib/auth/api-tokens";
import { createBooking } from "@/lib/booking/create-booking";
import { setupTestDb } from "@/tests/db";
import { makeCustomer, makeService, makeSlot } from "@/tests/fixtures";
import { callRoute } from "@/tests/routes";
import { gatewayAccounts, paymentConfigFromEnv } from "./providers";

// No PayPal keys and no PAYPAL_SANDBOX: PayPal is not configured here.
vi.hoisted(() => {
  for (const k of ["PAYPAL_CLIENT_ID", "PAYPAL_CLIENT_SECRET", "PAYPAL_WEBHOOK_ID", "PAYPAL_SANDBOX"]) delete process.env[k];
});

setupTestDb();

describe("PayPal not configured", () => {
  it("is not among the accounts, and the config has none", () => {
    expect(gatewayAccounts().map((a) => a.name)).not.toContain("paypal");
    expect(paymentConfigFromEnv().paypal).toBeUndefined();
    expect(paymentConfigFromEnv().source.paypal).toBeUndefined();
  });

  it("paying a booking with provider paypal answers 400 and makes no payment", async () => {
    const db = getDb();
    const customer = await makeCustomer(db);
    const service = await makeService(db, { priceFen: 8800, rules: { minNoticeMin: 0, maxAdvanceDays: 3650, payment: { mode: "full" } } });
    const slot = await makeSlot(db, service);
    const booking = await createBooking({ customerId: customer.id, timeslotId: slot.id });
    const { token } = await issueApiToken(customer.id);
    const res = await callRoute(pay, {
      path: `/api/v1/bookings/${booking.id}/pay`,
      ip: "203.0.113.7",
      token,
      body: { provider: "paypal" },
      params: { id: booking.id },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details?: { fieldErrors?: Record<string, unknown> } } };
    expect(body.error.code).toBe("VALIDATION_FAILED");
    expect(await db.select().from(payments).where(eq(payments.bookingId, booking.id))).toHaveLength(0);
    expect((await db.select().from(bookings).where(eq(bookings.id, booking.id)))[0]?.status).toBe("pending_payment");
  });

  it("a PayPal webhook is refused: no account could have signed it", async () => {
    const res = await callRoute(paypalNotify, {
      path: "/api/payments/paypal/notify",
      ip: "203.0.113.8",
      body: { id: "WH-1", event_type: "PAYMENT.CAPTURE.COMPLETED", resource: {} },
    });
    expect(res.status).toBe(400);
  });
});
