import { and, eq, inArray } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { notifications } from "@/db/schema";
import { cancelBooking } from "@/lib/booking/cancel-booking";
import { createBooking } from "@/lib/booking/create-booking";
import { rescheduleBooking } from "@/lib/booking/reschedule-booking";
import { setupTestDb } from "@/tests/db";
import { makeCustomer, makeService, makeSlot } from "@/tests/fixtures";
import { createDevChannel, type Channel, type ChannelMessage, type Channels } from "./channels";
import { deliverNotification } from "./deliver";

setupTestDb();

const holder = globalThis as unknown as { yuyueChannels?: Channels };
afterEach(() => {
  holder.yuyueChannels = undefined;
});

/** An email channel that keeps every message it is handed, attachments included. */
function capturingEmail(): Channel & { sent: ChannelMessage[] } {
  const sent: ChannelMessage[] = [];
  return {
    kind: "email",
    provider: "dev",
    sent,
    async send(message) {
      sent.push(message);
      return { providerMessageId: `cap_${sent.length}` };
    },
  };
}

/** The unfolded value of one iCalendar property (RFC 5545 folds long lines with CRLF + space). */
function icsField(ics: string, name: string): string | undefined {
  const lines = ics.replace(/\r\n[ \t]/g, "").split("\r\n");
  return lines.find((l) => l.startsWith(`${name}:`))?.slice(name.length + 1);
}

describe("calendar invitations across a booking's life", () => {
  it("keeps one UID through two reschedules and a cancellation, SEQUENCE rising, REQUEST then CANCEL", async () => {
    const db = getDb();
    const email = capturingEmail();
    holder.yuyueChannels = { email, sms: createDevChannel("sms") };
    const customer = await makeCustomer(db, { notificationPrefs: { email: true, sms: false, inApp: false } });
    const actor = { id: customer.id, role: "customer" as const };
    const service = await makeService(db, { reminderOffsetsMin: [] });
    const day = 86_400_000;
    const start = new Date(Date.now() + 40 * day);
    start.setSeconds(0, 0);
    const slots = await Promise.all([0, 1, 2].map((i) => makeSlot(db, service, { startsAt: new Date(start.getTime() + i * day) })));

    const first = await createBooking({ customerId: customer.id, timeslotId: slots[0]!.id });
    const second = await rescheduleBooking({ bookingId: first.id, timeslotId: slots[1]!.id, actor });
    const third = await rescheduleBooking({ bookingId: second.id, timeslotId: slots[2]!.id, actor });
    await cancelBooking({ bookingId: third.id, actor });

    const steps = [
      [first.id, "booking_confirmed"],
      [second.id, "booking_rescheduled"],
      [third.id, "booking_rescheduled"],
      [third.id, "booking_cancelled"],
    ] as const;
    const rows = await db
      .select()
      .from(notifications)
      .where(
        and(
          eq(notifications.userId, customer.id),
          eq(notifications.channel, "email"),
          inArray(notifications.bookingId, [first.id, second.id, third.id]),
        ),
      );
    const files: string[] = [];
    for (const [bookingId, type] of steps) {
      const row = rows.find((r) => r.bookingId === bookingId && r.type === type);
      expect(row, `${type} of ${bookingId}`).toBeDefined();
      expect(await deliverNotification(db, row!.id, false)).toBe("sent");
      const message = email.sent.find((m) => m.idempotencyKey === row!.idempotencyKey);
      const ics = message?.attachments?.find((a) => a.contentType === "text/calendar");
      expect(ics, `${type} carries an .ics`).toBeDefined();
      files.push(String(ics!.content));
    }

    expect(files.map((f) => icsField(f, "UID"))).toEqual(Array(4).fill(`${first.id}@yuyue`));
    const sequences = files.map((f) => Number(icsField(f, "SEQUENCE")));
    for (let i = 1; i < sequences.length; i++) expect(sequences[i]).toBeGreaterThan(sequences[i - 1]!);
    expect(files.map((f) => icsField(f, "METHOD"))).toEqual(["REQUEST", "REQUEST", "REQUEST", "CANCEL"]);
    expect(icsField(files[2]!, "DTSTART")).toBe(icsField(files[3]!, "DTSTART"));
    expect(icsField(files[3]!, "STATUS")).toBe("CANCELLED");
  });
});
