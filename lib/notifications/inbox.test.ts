import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, notificationDeliveries, notifications, users } from "@/db/schema";
import { getBoss } from "@/lib/jobs/boss";
import { setupTestDb, uniq } from "@/tests/db";
import { makeCustomer } from "@/tests/fixtures";
import { listOutbox, resendNotification } from "./dead-letters";
import { deliverJob } from "./deliver-job";
import { listInbox, markAllRead, markRead, unreadCount } from "./inbox";
import { updatePreferences } from "./preferences";

setupTestDb();

type Extra = Partial<typeof notifications.$inferInsert>;

/** One outbox row; defaults to a delivered in-app message. `minutesAgo` orders the inbox. */
async function put(userId: string, extra: Extra = {}, minutesAgo = 0) {
  const at = new Date(Date.now() - minutesAgo * 60_000);
  const [row] = await getDb()
    .insert(notifications)
    .values({
      userId,
      type: "booking_confirmed",
      channel: "in_app",
      title: uniq("标题"),
      body: "正文",
      idempotencyKey: uniq("key"),
      status: "sent",
      sentAt: at,
      createdAt: at,
      ...extra,
    })
    .returning();
  if (!row) throw new Error("row not inserted");
  return row;
}

const code = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: { code?: string }) => e.code,
  );

describe("in-app inbox", () => {
  it("lists only the caller's delivered in-app messages, newest arrival first, page by page", async () => {
    const db = getDb();
    const me = await makeCustomer(db);
    const other = await makeCustomer(db);
    const old = await put(me.id, {}, 30);
    const newest = await put(me.id, {}, 1);
    // A reminder written long ago but delivered just now arrives on top of the list.
    const reminder = await put(me.id, { type: "reminder", createdAt: new Date(Date.now() - 86_400_000) }, 0);
    await put(me.id, { status: "pending", sentAt: null });
    await put(me.id, { channel: "email" });
    await put(me.id, { status: "dead", sentAt: null });
    await put(other.id);

    const list = await listInbox(db, me.id, { limit: 10 });
    expect(list.map((m) => m.id)).toEqual([reminder.id, newest.id, old.id]);
    expect(Object.keys(list[0]!).sort()).toEqual([
      "body",
      "bookingId",
      "channel",
      "createdAt",
      "id",
      "link",
      "readAt",
      "sentAt",
      "title",
      "type",
    ]);
    expect(list.every((m) => m.channel === "in_app" && m.readAt === null)).toBe(true);

    const first = await listInbox(db, me.id, { limit: 2 });
    const second = await listInbox(db, me.id, { limit: 2, before: first.at(-1)!.id });
    expect([...first, ...second].map((m) => m.id)).toEqual(list.map((m) => m.id));
    expect(await listInbox(db, other.id, { limit: 10, before: first[0]!.id })).toEqual([]);
  });

  it("counts unread messages; markRead is idempotent and markAllRead clears the rest", async () => {
    const db = getDb();
    const me = await makeCustomer(db);
    const a = await put(me.id);
    await put(me.id);
    await put(me.id);
    await put(me.id, { status: "pending", sentAt: null });
    expect(await unreadCount(db, me.id)).toBe(3);

    const read = await markRead(db, me.id, a.id);
    expect(read.readAt).toBeInstanceOf(Date);
    const again = await markRead(db, me.id, a.id);
    expect(again.readAt?.getTime()).toBe(read.readAt?.getTime());
    expect(await unreadCount(db, me.id)).toBe(2);

    expect(await markAllRead(db, me.id)).toBe(2);
    expect(await unreadCount(db, me.id)).toBe(0);
    expect(await markAllRead(db, me.id)).toBe(0);
  });

  it("answers NOT_FOUND for someone else's message, an undelivered one and a malformed id", async () => {
    const db = getDb();
    const me = await makeCustomer(db);
    const other = await makeCustomer(db);
    const theirs = await put(other.id);
    const pending = await put(me.id, { status: "pending", sentAt: null });
    expect(await code(markRead(db, me.id, theirs.id))).toBe("NOT_FOUND");
    expect(await code(markRead(db, me.id, pending.id))).toBe("NOT_FOUND");
    expect(await code(markRead(db, me.id, "not-a-uuid"))).toBe("NOT_FOUND");
    const [untouched] = await db.select().from(notifications).where(eq(notifications.id, theirs.id));
    expect(untouched?.readAt).toBeNull();
  });
});

describe("dead letters", () => {
  it("shows delivery history, and a resend resets the row and enqueues its job with an audit entry", async () => {
    const db = getDb();
    const staff = await makeCustomer(db, { role: "staff" });
    const customer = await makeCustomer(db);
    const dead = await put(customer.id, { channel: "email", status: "dead", sentAt: null, attempts: 2, lastError: "503 from provider" });
    await db.insert(notificationDeliveries).values([
      { notificationId: dead.id, attempt: 1, outcome: "failed", error: "503 from provider" },
      { notificationId: dead.id, attempt: 2, outcome: "dead", error: "503 from provider" },
    ]);

    const listed = (await listOutbox(db, staff, { status: "dead", limit: 100, offset: 0 })).find((e) => e.id === dead.id);
    expect(listed?.deliveries.map((d) => [d.attempt, d.outcome])).toEqual([
      [1, "failed"],
      [2, "dead"],
    ]);
    expect(listed?.recipientName).toBe(customer.name);

    const entry = await resendNotification(db, staff, dead.id, "provider back up");
    expect(entry).toMatchObject({ id: dead.id, status: "pending", attempts: 2 });
    // By data: findJobs lists 1,000 jobs by default, and on PostgreSQL every test file shares the queue.
    expect(await (await getBoss()).findJobs(deliverJob.name, { data: { notificationId: dead.id } })).toHaveLength(1);
    const audits = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, dead.id), eq(auditLog.action, "notification.resend")));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorId: staff.id, reason: "provider back up", data: { previousStatus: "dead" } });

    expect(await code(resendNotification(db, staff, dead.id))).toBe("INVALID_STATE");
    expect(await code(resendNotification(db, customer, dead.id))).toBe("FORBIDDEN");
    expect(await code(listOutbox(db, customer, { limit: 10, offset: 0 }))).toBe("FORBIDDEN");
    expect(await code(resendNotification(db, staff, "00000000-0000-4000-8000-000000000000"))).toBe("NOT_FOUND");
  });
});

describe("preferences", () => {
  it("validates and saves channels and language", async () => {
    const db = getDb();
    const me = await makeCustomer(db);
    expect(await code(updatePreferences(db, me.id, { email: false, sms: false, inApp: false, locale: "en" }))).toBe("VALIDATION_FAILED");
    expect(await code(updatePreferences(db, me.id, { email: true, sms: true, inApp: true, locale: "fr" }))).toBe("VALIDATION_FAILED");
    expect(await code(updatePreferences(db, me.id, { email: "yes", sms: true, inApp: true, locale: "en" }))).toBe("VALIDATION_FAILED");

    const saved = await updatePreferences(db, me.id, { email: false, sms: true, inApp: true, locale: "en" });
    expect(saved).toEqual({
      prefs: { email: false, sms: true, inApp: true },
      locale: "en",
      reachable: { email: true, sms: false, inApp: true },
    });
    const [row] = await db.select().from(users).where(eq(users.id, me.id));
    expect(row).toMatchObject({ notificationPrefs: { email: false, sms: true, inApp: true }, locale: "en" });
  });
});
