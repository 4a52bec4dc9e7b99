import { and, eq, inArray } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { notificationDeliveries, notifications } from "@/db/schema";
import { createBooking } from "@/lib/booking/create-booking";
import { cancelBooking } from "@/lib/booking/cancel-booking";
import { rescheduleBooking } from "@/lib/booking/reschedule-booking";
import { getBoss } from "@/lib/jobs/boss";
import { enqueue } from "@/lib/jobs/enqueue";
import { setupTestDb, uniq } from "@/tests/db";
import { makeCustomer, makeService, makeSlot, bookingMessageData } from "@/tests/fixtures";
import { ChannelError, createDevChannel, listDevMessages, type Channel, type Channels } from "./channels";
import { deliverNotification } from "./deliver";
import { deliverJob } from "./deliver-job";
import { notify, pickChannels } from "./outbox";

setupTestDb();

const holder = globalThis as unknown as { yuyueChannels?: Channels };
afterEach(() => {
  holder.yuyueChannels = undefined;
});

const rowsOf = (bookingId: string) => getDb().select().from(notifications).where(eq(notifications.bookingId, bookingId));
/** By data, not by listing the queue: findJobs lists 1,000 jobs by default and every test file shares it. */
const jobsFor = async (ids: string[]) => {
  const boss = await getBoss();
  return (await Promise.all(ids.map((notificationId) => boss.findJobs(deliverJob.name, { data: { notificationId } })))).flat();
};

describe("transactional outbox", () => {
  it("a confirmed booking writes its messages and their delivery jobs with it", async () => {
    const db = getDb();
    const customer = await makeCustomer(db, {
      phone: `139${Math.floor(Math.random() * 1e8)
        .toString()
        .padStart(8, "0")}`,
    });
    const booking = await createBooking({ customerId: customer.id, timeslotId: (await makeSlot(db, await makeService(db))).id });
    const rows = await rowsOf(booking.id);
    const mine = rows.filter((r) => r.userId === customer.id && r.type === "booking_confirmed");
    expect(mine.map((r) => r.channel).sort()).toEqual(["email", "in_app", "sms"]);
    expect(rows.some((r) => r.type === "staff_new_booking" || r.type === "reminder")).toBe(true);
    expect((await jobsFor(rows.map((r) => r.id))).length).toBe(rows.length);
  });

  it("a rolled-back transaction leaves no message and no job", async () => {
    const db = getDb();
    const customer = await makeCustomer(db);
    let ids: string[] = [];
    await expect(
      db.transaction(async (tx) => {
        ids = await notify(tx, { userId: customer.id, event: "booking_confirmed", data: bookingMessageData(), key: uniq("k") });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(ids.length).toBeGreaterThan(0);
    expect(await db.select().from(notifications).where(inArray(notifications.id, ids))).toHaveLength(0);
    expect(await jobsFor(ids)).toHaveLength(0);
  });

  it("writing the same message twice is a no-op (a replayed event sends nothing new)", async () => {
    const db = getDb();
    const customer = await makeCustomer(db);
    const key = uniq("k");
    const first = await db.transaction((tx) =>
      notify(tx, { userId: customer.id, event: "booking_confirmed", data: bookingMessageData(), key }),
    );
    const second = await db.transaction((tx) =>
      notify(tx, { userId: customer.id, event: "booking_confirmed", data: bookingMessageData(), key }),
    );
    expect(first.length).toBe(2);
    expect(second).toEqual([]);
  });
});

describe("delivery", () => {
  it("sends once even when the job runs twice or a worker died after the provider accepted it", async () => {
    const db = getDb();
    const customer = await makeCustomer(db);
    const [id] = await db.transaction((tx) =>
      notify(tx, { userId: customer.id, event: "booking_confirmed", data: bookingMessageData(), key: uniq("k"), channels: ["email"] }),
    );
    const [row] = await db.select().from(notifications).where(eq(notifications.id, id!));
    // The worker that died had already handed the message to the provider under the row's key.
    await createDevChannel("email").send({ to: customer.email!, title: row!.title, text: row!.body, idempotencyKey: row!.idempotencyKey });
    expect(await deliverNotification(db, id!, false)).toBe("sent");
    expect(await deliverNotification(db, id!, false)).toBe("skipped");
    expect(listDevMessages({ to: customer.email! }).filter((m) => m.idempotencyKey === row!.idempotencyKey)).toHaveLength(1);
  });

  it("a job whose worker was killed mid-run is picked up again and delivered", async () => {
    const db = getDb();
    const boss = await getBoss();
    const customer = await makeCustomer(db);
    const [id] = await db.transaction((tx) =>
      notify(tx, { userId: customer.id, event: "booking_confirmed", data: bookingMessageData(), key: uniq("k"), channels: ["in_app"] }),
    );
    // A second copy with a 1-second lease, taken by a worker that then dies without answering.
    const jobId = await enqueue(db, deliverJob, { notificationId: id! }, { expireInSeconds: 1, retryDelay: 0, retryBackoff: false });
    // Other tests' messages share the queue on PostgreSQL: fetch until this worker holds ours.
    let taken = false;
    for (let i = 0; i < 50 && !taken; i++) {
      taken = (await boss.fetch<{ notificationId: string }>(deliverJob.name, { batchSize: 100 })).some((j) => j.id === jobId);
    }
    expect(taken).toBe(true);
    await new Promise((r) => setTimeout(r, 1500));
    // A supervise pass fails the lapsed job; a pass another instance ran moments ago makes this
    // call a no-op until the monitor interval (10 s) is up, so ask until one gets through.
    let state: string | undefined;
    for (let i = 0; i < 15 && state !== "retry"; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 1000));
      await boss.supervise(deliverJob.name);
      state = (await boss.findJobs(deliverJob.name, { id: jobId! }))[0]?.state;
    }
    expect(state).toBe("retry");
    expect((await db.select().from(notifications).where(eq(notifications.id, id!)))[0]?.status).toBe("pending");
    expect(await deliverNotification(db, id!, false)).toBe("sent");
  });

  it("retries transient failures, dead-letters after the last attempt, falls back to the inbox, keeps history", async () => {
    const db = getDb();
    let calls = 0;
    const flaky: Channel = {
      kind: "email",
      provider: "dev",
      async send() {
        calls++;
        throw new ChannelError("503 from provider", { retryable: true, code: "unavailable", provider: "dev", status: 503 });
      },
    };
    holder.yuyueChannels = { email: flaky, sms: createDevChannel("sms") };
    const customer = await makeCustomer(db, { notificationPrefs: { email: true, sms: false, inApp: false } });
    const key = uniq("k");
    const [id] = await db.transaction((tx) =>
      notify(tx, { userId: customer.id, event: "booking_confirmed", data: bookingMessageData(), key }),
    );
    expect(await deliverNotification(db, id!, false)).toBe("retry");
    expect(await deliverNotification(db, id!, true)).toBe("dead");
    expect(calls).toBe(2);
    const [row] = await db.select().from(notifications).where(eq(notifications.id, id!));
    expect(row).toMatchObject({ status: "dead", attempts: 2, lastError: "503 from provider" });
    const history = await db.select().from(notificationDeliveries).where(eq(notificationDeliveries.notificationId, id!));
    expect(history.map((h) => h.outcome).sort()).toEqual(["dead", "failed"]);
    const inbox = await db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, customer.id), eq(notifications.channel, "in_app")));
    expect(inbox).toHaveLength(1);
  });

  it("picks channels from preferences and falls back when a contact is missing", () => {
    const prefs = { email: true, sms: true, inApp: true };
    expect(pickChannels({ email: "a@b.c", phone: "13800138000", notificationPrefs: prefs }, false)).toEqual(["email", "sms", "in_app"]);
    expect(
      pickChannels({ email: null, phone: "13800138000", notificationPrefs: { email: true, sms: false, inApp: false } }, false),
    ).toEqual(["sms"]);
    expect(pickChannels({ email: null, phone: null, notificationPrefs: { email: false, sms: true, inApp: false } }, false)).toEqual([
      "in_app",
    ]);
    expect(pickChannels({ email: "a@b.c", phone: null, notificationPrefs: prefs }, true)).toEqual(["in_app"]);
  });
});

describe("reminders", () => {
  const pendingReminders = async (bookingId: string) =>
    (await rowsOf(bookingId))
      .filter((r) => r.type === "reminder" && r.status === "pending" && r.channel === "in_app")
      .map((r) => r.sendAfter.getTime())
      .sort();

  it("are scheduled at 24 h and 1 h before, move on reschedule and vanish on cancel", async () => {
    const db = getDb();
    const customer = await makeCustomer(db);
    const service = await makeService(db, { reminderOffsetsMin: [1440, 60] });
    const start1 = new Date(Date.now() + 3 * 86_400_000);
    start1.setSeconds(0, 0);
    const start2 = new Date(start1.getTime() + 2 * 86_400_000);
    const booking = await createBooking({ customerId: customer.id, timeslotId: (await makeSlot(db, service, { startsAt: start1 })).id });
    expect(await pendingReminders(booking.id)).toEqual([start1.getTime() - 86_400_000, start1.getTime() - 3_600_000]);

    const moved = await rescheduleBooking({
      bookingId: booking.id,
      timeslotId: (await makeSlot(db, service, { startsAt: start2 })).id,
      actor: { id: customer.id, role: "customer" },
    });
    expect(await pendingReminders(booking.id)).toEqual([]);
    expect(await pendingReminders(moved.id)).toEqual([start2.getTime() - 86_400_000, start2.getTime() - 3_600_000]);

    await cancelBooking({ bookingId: moved.id, actor: { id: customer.id, role: "customer" } });
    expect(await pendingReminders(moved.id)).toEqual([]);
  });

  it("is never sent for a booking that is no longer confirmed", async () => {
    const db = getDb();
    const customer = await makeCustomer(db);
    const booking = await createBooking({ customerId: customer.id, timeslotId: (await makeSlot(db, await makeService(db))).id });
    const [reminder] = (await rowsOf(booking.id)).filter((r) => r.type === "reminder");
    await cancelBooking({ bookingId: booking.id, actor: { id: customer.id, role: "staff" } });
    // Even a delivery job that was already queued finds the booking cancelled.
    await db.update(notifications).set({ status: "pending" }).where(eq(notifications.id, reminder!.id));
    expect(await deliverNotification(db, reminder!.id, false)).toBe("cancelled");
  });
});
