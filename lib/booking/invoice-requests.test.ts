import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GET, POST } from "@/app/api/v1/bookings/[id]/invoice/route";
import { getDb } from "@/db/client";
import { auditLog, payments } from "@/db/schema";
import { issueApiToken } from "@/lib/auth/api-tokens";
import { createBooking } from "@/lib/booking/create-booking";
import { setupTestDb } from "@/tests/db";
import { makeCustomer, makeService, makeSlot } from "@/tests/fixtures";
import { callRoute } from "@/tests/routes";
import { listInvoiceRequests, markInvoiceIssued } from "./invoice-requests";

setupTestDb();
const db = () => getDb();
let n = 0;
const ip = () => `10.9.${Math.floor(++n / 250)}.${n % 250}`;

async function bookingWithPayment(paidFen: number | null) {
  const customer = await makeCustomer(db());
  const service = await makeService(db(), { priceFen: 8800, rules: { minNoticeMin: 0, maxAdvanceDays: 3650, payment: { mode: "full" } } });
  const slot = await makeSlot(db(), service);
  const booking = await createBooking({ customerId: customer.id, timeslotId: slot.id });
  if (paidFen !== null) {
    await db()
      .insert(payments)
      .values({
        bookingId: booking.id,
        provider: "alipay",
        gateway: "alipay",
        outTradeNo: `INV${Date.now()}${++n}`,
        amountFen: paidFen,
        status: "paid",
        paidAt: new Date(),
      });
  }
  const { token } = await issueApiToken(customer.id);
  return { customer, booking, token };
}

const ask = (bookingId: string, token: string, body: unknown) =>
  callRoute(POST, { path: `/api/v1/bookings/${bookingId}/invoice`, ip: ip(), token, body, params: { id: bookingId } });

describe("fapiao requests", () => {
  it("a customer asks for a company invoice on what they paid, corrects it, and staff mark it issued", async () => {
    const { booking, token, customer } = await bookingWithPayment(8800);
    const first = await ask(booking.id, token, { kind: "company", title: "上海某某科技有限公司", taxNo: "91310000mA1k2b3c4d" });
    expect(first.status).toBe(201);
    expect((await first.json()).invoice).toMatchObject({
      kind: "company",
      taxNo: "91310000MA1K2B3C4D",
      amountFen: 8800,
      status: "requested",
    });
    const fixed = await ask(booking.id, token, { kind: "personal", title: "张三", email: "zhang@example.com" });
    expect((await fixed.json()).invoice).toMatchObject({ kind: "personal", title: "张三", taxNo: null, email: "zhang@example.com" });

    const listed = await listInvoiceRequests(db());
    const mine = listed.find((r) => r.invoice.bookingId === booking.id)!;
    expect(mine).toMatchObject({ bookingCode: booking.code, customerName: customer.name });
    const staff = await makeCustomer(db(), { role: "staff" });
    await markInvoiceIssued(db(), mine.invoice.id, staff.id, "24310000000012345678");
    const seen = await callRoute(GET, { path: `/api/v1/bookings/${booking.id}/invoice`, ip: ip(), token, params: { id: booking.id } });
    expect((await seen.json()).invoice).toMatchObject({ status: "issued", invoiceNo: "24310000000012345678" });
    // Issued is final: neither the customer nor a second staff click changes it.
    const late = await ask(booking.id, token, { kind: "personal", title: "李四" });
    expect(late.status).toBe(409);
    expect((await late.json()).error.code).toBe("CONFLICT");
    await expect(markInvoiceIssued(db(), mine.invoice.id, staff.id, "X")).rejects.toMatchObject({ code: "CONFLICT" });
    const trail = await db().select().from(auditLog).where(eq(auditLog.entityId, booking.id));
    expect(trail.map((a) => a.action)).toEqual(expect.arrayContaining(["invoice.requested", "invoice.issued"]));
  });

  it("refuses an unpaid booking, a company without a tax number, and someone else's booking", async () => {
    const unpaid = await bookingWithPayment(null);
    const r1 = await ask(unpaid.booking.id, unpaid.token, { kind: "personal", title: "张三" });
    expect(r1.status).toBe(409);
    const paid = await bookingWithPayment(5000);
    const r2 = await ask(paid.booking.id, paid.token, { kind: "company", title: "某公司" });
    expect(r2.status).toBe(400);
    expect((await r2.json()).error.code).toBe("VALIDATION_FAILED");
    const r3 = await ask(paid.booking.id, unpaid.token, { kind: "personal", title: "张三" });
    expect(r3.status).toBe(404);
    const r4 = await callRoute(GET, {
      path: "/api/v1/bookings/not-a-uuid/invoice",
      ip: ip(),
      token: paid.token,
      params: { id: "not-a-uuid" },
    });
    expect(r4.status).toBe(404);
  });
});
