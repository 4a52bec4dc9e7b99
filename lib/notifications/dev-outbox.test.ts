import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { notifications } from "@/db/schema";
import { issueApiToken } from "@/lib/auth/api-tokens";
import { requestOtp } from "./send-code";
import { makeCustomer, messagesTo } from "@/tests/fixtures";
import { setupTestDb, uniq } from "@/tests/db";
import { clearDevMessages, createDevChannel, listDevMessages, type Channel, type Channels } from "./channels";
import { deliverNotification } from "./deliver";

setupTestDb();

const holder = globalThis as unknown as { yuyueChannels?: Channels };

const newPhone = () => `137${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;

/** The staff endpoint as another process loads it: a fresh module graph, with nothing in this one's dev store. */
async function readThroughFreshEndpoint(query: string, authorization?: string): Promise<Response> {
  clearDevMessages();
  vi.resetModules();
  const { GET } = await import("@/app/api/v1/staff/dev-messages/route");
  const headers: Record<string, string> = authorization ? { authorization } : {};
  return GET(new NextRequest(`http://localhost/api/v1/staff/dev-messages?${query}`, { headers }), { params: Promise.resolve({}) });
}

describe("dev outbox across processes", () => {
  it("a code the worker texted is read back through the staff endpoint from another module instance; customers get 403", async () => {
    const db = getDb();
    const phone = newPhone();
    await requestOtp({ phone, ip: uniq("ip") });
    const [row] = await messagesTo(db, phone);
    // The worker's code path: the dev transport takes the message and the row is marked sent.
    expect(await deliverNotification(db, row!.id, false)).toBe("sent");
    const sent = listDevMessages({ to: phone, channel: "sms" })[0];
    expect(sent?.sms?.params.code).toMatch(/^\d{6}$/);

    const staff = await makeCustomer(db, { role: "staff" });
    const { token } = await issueApiToken(staff.id);
    const res = await readThroughFreshEndpoint(`channel=sms&to=${encodeURIComponent(`+86 ${phone}`)}`, `Bearer ${token}`);
    expect(listDevMessages()).toEqual([]);
    expect(res.status).toBe(200);
    const { messages } = (await res.json()) as {
      messages: { to: string; idempotencyKey: string; providerMessageId: string; sms?: { params: Record<string, string> } }[];
    };
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ to: phone, idempotencyKey: row!.idempotencyKey, providerMessageId: sent!.providerMessageId });
    expect(messages[0]!.sms?.params.code).toBe(sent!.sms!.params.code);

    // A pending (not yet delivered) message is not listed: only what the transport took.
    await db.update(notifications).set({ status: "pending" }).where(eq(notifications.id, row!.id));
    const pending = await readThroughFreshEndpoint(`channel=sms&to=${phone}`, `Bearer ${token}`);
    expect(((await pending.json()) as { messages: unknown[] }).messages).toEqual([]);

    const customer = await makeCustomer(db);
    const other = await issueApiToken(customer.id);
    expect((await readThroughFreshEndpoint(`to=${phone}`, `Bearer ${other.token}`)).status).toBe(403);
    expect((await readThroughFreshEndpoint(`to=${phone}`)).status).toBe(401);
  });

  it("404 when real providers are configured for both channels", async () => {
    const db = getDb();
    const staff = await makeCustomer(db, { role: "staff" });
    const { token } = await issueApiToken(staff.id);
    const real = (kind: "email" | "sms", provider: "resend" | "aliyun"): Channel => ({ ...createDevChannel(kind), provider });
    holder.yuyueChannels = { email: real("email", "resend"), sms: real("sms", "aliyun") };
    try {
      const res = await readThroughFreshEndpoint("channel=sms", `Bearer ${token}`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
    } finally {
      holder.yuyueChannels = undefined;
    }
  });
});
