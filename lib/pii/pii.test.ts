import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import { GET as exportRoute } from "@/app/api/v1/me/export/route";
import { DELETE as deleteRoute } from "@/app/api/v1/me/route";
import { GET as staffBookingRoute } from "@/app/api/v1/staff/bookings/[id]/route";
import { getDb } from "@/db/client";
import { auditLog, bookings, notifications, paymentEvents, payments, users } from "@/db/schema";
import { issueApiToken } from "@/lib/auth/api-tokens";
import { authenticate } from "@/lib/auth/authenticate";
import { deleteMyAccount } from "@/lib/auth/delete-account";
import { registerUser } from "@/lib/auth/register-user";
import { createBooking } from "@/lib/booking/create-booking";
import { listBookings } from "@/lib/booking/staff-queries";
import { searchCustomers } from "@/lib/customers/queries";
import { dayRange } from "@/lib/booking/day-range";
import { bookingsCsv } from "@/lib/dashboard/export-queries";
import { keyIdOf, phoneIs } from "@/lib/pii";
import { PRIVACY_POLICY_VERSION } from "@/lib/pii/consent";
import { keyring, setKeyring, type Keyring } from "@/lib/pii/keys";
import { sealPii } from "@/lib/pii/seal";
import { setupTestDb, uniq } from "@/tests/db";
import { codeOf, makeCustomer, makeService, makeSlot } from "@/tests/fixtures";

setupTestDb();

const newPhone = () => `137${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
const spaced = (p: string) => `+86 ${p.slice(0, 3)}-${p.slice(3, 7)}-${p.slice(7)}`;
const masked = (p: string) => `${p.slice(0, 3)}****${p.slice(7)}`;

/** The column as stored, not through the decrypting column type. */
async function rawUser(id: string) {
  const rows = await getDb().execute<{ phone: string | null; phone_hash: string | null }>(
    sql`select phone, phone_hash from users where id = ${id}`,
  );
  return (rows as unknown as { rows?: unknown[] }).rows?.[0] ?? (rows as unknown as unknown[])[0];
}
async function rawFields(id: string): Promise<string> {
  const rows = await getDb().execute(sql`select fields::text as f from bookings where id = ${id}`);
  const row = ((rows as unknown as { rows?: unknown[] }).rows?.[0] ?? (rows as unknown as unknown[])[0]) as { f: string };
  return row.f;
}

function api(method: string, path: string, token: string, body?: unknown) {
  return new NextRequest(`http://localhost${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
const noParams = { params: Promise.resolve({}) };

const original: Keyring | undefined = undefined;
afterEach(() => setKeyring(original));

describe("personal data at rest", () => {
  it("the row holds no plaintext phone or form answer; lookup works for any spelling of the number", async () => {
    const db = getDb();
    const phone = newPhone();
    const user = await registerUser({ name: uniq("客"), phone: spaced(phone), password: "password-123", privacyConsent: true });
    expect(user.phone).toBe(phone);
    const raw = (await rawUser(user.id)) as { phone: string; phone_hash: string };
    expect(raw.phone).toMatch(/^pii1:[\w-]+:/);
    expect(raw.phone).not.toContain(phone);
    expect(raw.phone_hash).toBeTruthy();
    expect(raw.phone_hash).not.toContain(phone);

    for (const spelling of [phone, spaced(phone), `0086${phone}`, `(86)${phone}`]) {
      const [found] = await db.select({ id: users.id }).from(users).where(phoneIs(spelling));
      expect(found?.id).toBe(user.id);
    }
    const signedIn = await authenticate(`+86 ${phone}`, "password-123");
    expect(signedIn?.id).toBe(user.id);
    // uniqueness holds through the hash: the same number in another spelling is taken
    expect(await codeOf(registerUser({ name: "x", phone: `86${phone}`, password: "password-123" }))).toBe("PHONE_TAKEN");

    const service = await makeService(db, { fields: [{ key: "allergy", type: "text", label: { "zh-CN": "过敏", en: "Allergy" } }] });
    const booking = await createBooking({
      customerId: user.id,
      timeslotId: (await makeSlot(db, service)).id,
      fields: { allergy: "花生 peanuts" },
    });
    const stored = await rawFields(booking.id);
    expect(stored).not.toContain("peanuts");
    expect(stored).toMatch(/"pii1": ?"pii1:/);
    const [read] = await db.select({ fields: bookings.fields }).from(bookings).where(eq(bookings.id, booking.id));
    expect(read?.fields).toEqual({ allergy: "花生 peanuts" });
  });

  it("backfill encrypts plaintext rows left from before migration 0010, once", async () => {
    const db = getDb();
    const phone = newPhone();
    const u = await makeCustomer(db);
    await db.execute(sql`update users set phone = ${phone}, phone_hash = null where id = ${u.id}`);
    const service = await makeService(db);
    const slot = await makeSlot(db, service);
    const [b] = await db
      .insert(bookings)
      .values({
        code: uniq("B").slice(0, 12),
        businessId: service.businessId,
        serviceId: service.id,
        timeslotId: slot.id,
        customerId: u.id,
        status: "confirmed",
        priceFen: 0,
        amountDueFen: 0,
      })
      .returning();
    await db.execute(sql`update bookings set fields = ${JSON.stringify({ note: "old plaintext answer" })}::jsonb where id = ${b!.id}`);
    const notice = { buyer_logon_id: "old***@example.com", outTradeNo: uniq("T") };
    const eventKey = uniq("ev");
    await db.execute(
      sql`insert into payment_events (provider, event_key, kind, payload, outcome) values ('alipay', ${eventKey}, 'paid', ${JSON.stringify(notice)}::jsonb, 'paid')`,
    );
    const rawNotice = async () => {
      const rows = await db.execute(sql`select payload::text as p from payment_events where event_key = ${eventKey}`);
      return (((rows as unknown as { rows?: unknown[] }).rows ?? (rows as unknown as unknown[]))[0] as { p: string }).p;
    };
    expect(await rawNotice()).toContain("old***@example.com");

    const first = await sealPii(db);
    expect(first.paymentEvents).toBeGreaterThanOrEqual(1);
    expect(await rawNotice()).not.toContain("old***@example.com");
    const [event] = await db.select().from(paymentEvents).where(eq(paymentEvents.eventKey, eventKey));
    expect(event?.payload).toEqual(notice);
    expect(first.users).toBeGreaterThanOrEqual(1);
    expect(((await rawUser(u.id)) as { phone: string }).phone).toMatch(/^pii1:/);
    expect(await rawFields(b!.id)).not.toContain("old plaintext answer");
    const [found] = await db.select({ id: users.id, phone: users.phone }).from(users).where(phoneIs(phone));
    expect(found).toEqual({ id: u.id, phone });
    expect(await sealPii(db)).toEqual({ users: 0, bookings: 0, notifications: 0, paymentEvents: 0 });
  });

  it("rotation: a new active key encrypts, the old kid still decrypts until pii:rotate re-encrypts every row", async () => {
    const db = getDb();
    const before = keyring();
    const phone = newPhone();
    const u = await makeCustomer(db, { phone });
    const oldKid = keyIdOf(((await rawUser(u.id)) as { phone: string }).phone);
    expect(oldKid).toBe(before.activeKid);
    const eventKey = uniq("ev");
    await db
      .insert(paymentEvents)
      .values({ provider: "wechat", eventKey, kind: "paid", payload: { openid: "o_rotated" }, outcome: "paid" });
    const noticeKid = async () => {
      const rows = await db.execute(sql`select payload->>'pii1' as p from payment_events where event_key = ${eventKey}`);
      return keyIdOf((((rows as unknown as { rows?: unknown[] }).rows ?? (rows as unknown as unknown[]))[0] as { p: string }).p);
    };
    expect(await noticeKid()).toBe(oldKid);

    const next: Keyring = { ...before, activeKid: "k2", keys: new Map([["k2", randomBytes(32)], ...before.keys]) };
    setKeyring(next);
    const [stillRead] = await db.select({ phone: users.phone }).from(users).where(eq(users.id, u.id));
    expect(stillRead?.phone).toBe(phone);
    const fresh = await makeCustomer(db, { phone: newPhone() });
    expect(keyIdOf(((await rawUser(fresh.id)) as { phone: string }).phone)).toBe("k2");

    const report = await sealPii(db, { rotate: true });
    expect(report.users).toBeGreaterThanOrEqual(1);
    expect(report.paymentEvents).toBeGreaterThanOrEqual(1);
    expect(await noticeKid()).toBe("k2");
    expect(keyIdOf(((await rawUser(u.id)) as { phone: string }).phone)).toBe("k2");
    expect(await sealPii(db, { rotate: true })).toEqual({ users: 0, bookings: 0, notifications: 0, paymentEvents: 0 });

    // the old key can go now: every row reads with k2 alone, and lookups still work
    setKeyring({ ...next, keys: new Map([["k2", next.keys.get("k2")!]]) });
    const [after] = await db
      .select({ id: users.id, phone: users.phone })
      .from(users)
      .where(phoneIs(spaced(phone)));
    expect(after).toEqual({ id: u.id, phone });
    // and without the key that wrote a value, reading it fails loudly instead of returning garbage
    setKeyring({ ...next, activeKid: "k3", keys: new Map([["k3", randomBytes(32)]]) });
    await expect(db.select({ phone: users.phone }).from(users).where(eq(users.id, u.id))).rejects.toThrow(/k2/);

    // Rotated back, so the rows every other test reads (one database per run on PostgreSQL) open with the usual key.
    setKeyring({ ...before, keys: new Map([...before.keys, ["k2", next.keys.get("k2")!]]) });
    await sealPii(db, { rotate: true });
  });
});

describe("masking and audited reveal", () => {
  it("lists, search and CSV show 138****0001; the opened booking shows the number and writes pii.viewed", async () => {
    const db = getDb();
    const phone = newPhone();
    const customer = await makeCustomer(db, { phone, name: uniq("掩码") });
    const staff = await makeCustomer(db, { role: "staff" });
    const service = await makeService(db);
    const slot = await makeSlot(db, service);
    const booking = await createBooking({ customerId: customer.id, timeslotId: slot.id });

    const { rows } = await listBookings(db, { q: spaced(phone), page: 1 }, "Asia/Shanghai");
    expect(rows.map((r) => r.id)).toEqual([booking.id]);
    expect(rows[0]?.customerPhone).toBe(masked(phone));

    const found = await searchCustomers(db, { q: phone, limit: 20, offset: 0 });
    expect(found.rows.map((r) => r.id)).toEqual([customer.id]);
    expect(found.rows[0]?.phone).toBe(masked(phone));

    const day = slot.startsAt.toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });
    const csv = await bookingsCsv(db, dayRange({ from: day, to: day }, "Asia/Shanghai"), "Asia/Shanghai");
    expect(csv).toContain(masked(phone));
    expect(csv).not.toContain(phone);

    const { token } = await issueApiToken(staff.id, "test");
    const res = await staffBookingRoute(api("GET", `/api/v1/staff/bookings/${booking.id}`, token), {
      params: Promise.resolve({ id: booking.id }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { customer: { phone: string } }).customer.phone).toBe(phone);
    const trail = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "pii.viewed"), eq(auditLog.entityId, booking.id)));
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ actorId: staff.id, entityType: "booking", data: { fields: ["phone"], via: "api" } });
  });
});

describe("account self-service (PIPL)", () => {
  async function customerWithHistory() {
    const db = getDb();
    const phone = newPhone();
    const user = await registerUser({
      name: uniq("导出"),
      phone,
      email: `${uniq("me")}@test.local`,
      password: "password-123",
      privacyConsent: true,
    });
    const service = await makeService(db, { fields: [{ key: "note", type: "text", label: { "zh-CN": "备注", en: "Note" } }] });
    const past = await makeSlot(db, service, { startsAt: new Date(Date.now() - 3 * 86_400_000) });
    const [done] = await db
      .insert(bookings)
      .values({
        code: uniq("P").slice(0, 12),
        businessId: service.businessId,
        serviceId: service.id,
        timeslotId: past.id,
        customerId: user.id,
        status: "completed",
        priceFen: 8800,
        amountDueFen: 8800,
        fields: { note: "my secret note" },
      })
      .returning();
    await db
      .insert(payments)
      .values({ bookingId: done!.id, provider: "sandbox", outTradeNo: uniq("T"), amountFen: 8800, status: "paid", paidAt: new Date() });
    await db.insert(notifications).values({
      userId: user.id,
      type: "booking_confirmed",
      channel: "in_app",
      title: "预约成功",
      body: "see you",
      idempotencyKey: uniq("n"),
      status: "sent",
    });
    return { user, phone, done: done!, service };
  }

  it("consent is stored with the policy version and time at sign-up", async () => {
    const { user } = await customerWithHistory();
    const [row] = await getDb().select().from(users).where(eq(users.id, user.id));
    expect(row?.privacyConsentVersion).toBe(PRIVACY_POLICY_VERSION);
    expect(Date.now() - row!.privacyConsentAt!.getTime()).toBeLessThan(60_000);
    const [entry] = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "privacy.consented"), eq(auditLog.entityId, user.id)));
    expect(entry?.data).toEqual({ version: PRIVACY_POLICY_VERSION });
    const withoutConsent = await registerUser({ name: "y", email: `${uniq("nc")}@test.local`, password: "password-123" });
    const [nc] = await getDb().select().from(users).where(eq(users.id, withoutConsent.id));
    expect(nc?.privacyConsentVersion).toBeNull();
  });

  it("GET /api/v1/me/export has my profile, bookings with answers, payments and messages, and nobody else's", async () => {
    const mine = await customerWithHistory();
    const other = await customerWithHistory();
    const { token } = await issueApiToken(mine.user.id, "test");
    const res = await exportRoute(api("GET", "/api/v1/me/export", token), noParams);
    expect(res.status).toBe(200);
    const data = (await res.json()) as {
      profile: { id: string; phone: string; privacyConsent: { version: string } };
      bookings: { id: string; fields: object }[];
      payments: { bookingId: string; amountFen: number }[];
      messages: { title: string }[];
    };
    expect(data.profile).toMatchObject({ id: mine.user.id, phone: mine.phone, privacyConsent: { version: PRIVACY_POLICY_VERSION } });
    expect(data.bookings).toEqual([expect.objectContaining({ id: mine.done.id, fields: { note: "my secret note" } })]);
    expect(data.payments).toEqual([expect.objectContaining({ bookingId: mine.done.id, amountFen: 8800 })]);
    expect(data.messages.map((m) => m.title)).toEqual(["预约成功"]);
    const text = JSON.stringify(data);
    expect(text).not.toContain(other.user.id);
    expect(text).not.toContain(other.phone);
    expect(text).not.toContain(other.done.id);
    expect((await exportRoute(api("GET", "/api/v1/me/export", "nope"), noParams)).status).toBe(401);
  });

  it("DELETE /api/v1/me: wrong password 401, an upcoming booking 409, then anonymised with the ledger unchanged", async () => {
    const db = getDb();
    const { user, phone, done, service } = await customerWithHistory();
    const ahead = await createBooking({ customerId: user.id, timeslotId: (await makeSlot(db, service)).id, fields: { note: "soon" } });
    const { token } = await issueApiToken(user.id, "test");
    const ledger = async () =>
      (
        await db
          .select({ fen: sql<number>`coalesce(sum(${payments.amountFen}), 0)::int` })
          .from(payments)
          .where(eq(payments.bookingId, done.id))
      )[0]?.fen;
    const totalBefore = await ledger();

    expect((await deleteRoute(api("DELETE", "/api/v1/me", token, {}), noParams)).status).toBe(400);
    const wrong = await deleteRoute(api("DELETE", "/api/v1/me", token, { password: "not-it-at-all" }), noParams);
    expect(wrong.status).toBe(401);
    const refused = await deleteRoute(api("DELETE", "/api/v1/me", token, { password: "password-123" }), noParams);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("CONFLICT");
    expect((await db.select().from(users).where(eq(users.id, user.id)))[0]?.deletedAt).toBeNull();

    await db.update(bookings).set({ status: "cancelled", cancelledAt: new Date() }).where(eq(bookings.id, ahead.id));
    const ok = await deleteRoute(api("DELETE", "/api/v1/me", token, { password: "password-123" }), noParams);
    expect(ok.status).toBe(200);

    const [row] = await db.select().from(users).where(eq(users.id, user.id));
    expect(row).toMatchObject({ email: null, phone: null, phoneHash: null, passwordHash: null, wechatOpenid: null, notes: null });
    expect(row?.deletedAt).toBeInstanceOf(Date);
    expect(row?.name).not.toContain("导出");
    expect(await db.select().from(users).where(phoneIs(phone))).toEqual([]);
    const kept = await db.select().from(bookings).where(eq(bookings.customerId, user.id));
    expect(kept).toHaveLength(2);
    for (const b of kept) expect(b.fields).toEqual({});
    expect(await ledger()).toBe(totalBefore);
    expect(await db.select().from(notifications).where(eq(notifications.userId, user.id))).toEqual([]);
    // the token is dead, and a password sign-in finds nobody
    expect((await exportRoute(api("GET", "/api/v1/me/export", token), noParams)).status).toBe(401);
    expect(await codeOf(authenticate(phone, "password-123"))).toBe("INVALID_CREDENTIALS");
  });

  it("an account without a password deletes with a code texted to its own number", async () => {
    const db = getDb();
    const phone = newPhone();
    const u = await makeCustomer(db, { phone, passwordHash: null });
    expect(await codeOf(deleteMyAccount(u.id, { password: "anything" }))).toBe("INVALID_CREDENTIALS");
    expect(await codeOf(deleteMyAccount(u.id, { code: "000000", ip: uniq("ip") }))).toBe("INVALID_CREDENTIALS");
    const { requestOtp } = await import("@/lib/notifications/send-code");
    const { messagesTo } = await import("@/tests/fixtures");
    const { deliverNotification } = await import("@/lib/notifications/deliver");
    const { listDevMessages } = await import("@/lib/notifications/channels");
    await requestOtp({ phone, ip: uniq("ip") });
    for (const m of await messagesTo(db, phone)) await deliverNotification(db, m.id, false);
    const code = listDevMessages({ to: phone, channel: "sms" })[0]?.sms?.params.code;
    expect(code).toMatch(/^\d{6}$/);
    await deleteMyAccount(u.id, { code: code!, ip: uniq("ip") });
    expect((await db.select().from(users).where(eq(users.id, u.id)))[0]?.deletedAt).toBeInstanceOf(Date);
    expect(await codeOf(deleteMyAccount(u.id, { password: "x" }))).toBe("NOT_FOUND");
  });
});
