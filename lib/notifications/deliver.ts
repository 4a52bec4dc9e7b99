import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { bookings, notificationDeliveries, notifications, users, type Notification } from "@/db/schema";
import { env } from "@/lib/env";
import { channelConfigFromEnv, channelsFromConfig, ChannelError, type Channels, type Attachment } from "./channels";
import { bookingIcsAttachment, parseMailbox } from "./ics";
import { parseEventData, render, type AnyEventData, type NotificationEvent } from "./templates";

const holder = globalThis as unknown as { yuyueChannels?: Channels };
export const channels = (): Channels => (holder.yuyueChannels ??= channelsFromConfig(channelConfigFromEnv()));

/** Events whose email carries the booking as a calendar invitation (a cancellation removes it). */
const icsEvents = new Set<NotificationEvent>(["booking_confirmed", "payment_received", "booking_rescheduled", "reminder", "booking_cancelled"]);

export type DeliveryOutcome = "sent" | "skipped" | "cancelled" | "retry" | "dead";

function attachmentsFor(n: Notification, event: NotificationEvent, data: AnyEventData, to: string): Attachment[] | undefined {
  if (!icsEvents.has(event) || !n.bookingId) return undefined;
  return [
    bookingIcsAttachment({
      bookingId: n.bookingId,
      startsAt: data.startsAt,
      endsAt: data.endsAt,
      summary: `${data.serviceName} · ${data.businessName}`,
      location: data.address,
      url: data.manageUrl,
      organizer: parseMailbox(env.MAIL_FROM),
      attendee: { name: data.customerName, email: to },
      cancelled: event === "booking_cancelled",
      stampedAt: n.createdAt,
    }),
  ];
}

async function record(db: Db, n: Notification, outcome: string, extra: { providerMessageId?: string; error?: string } = {}) {
  await db.insert(notificationDeliveries).values({ notificationId: n.id, attempt: n.attempts + 1, outcome, ...extra });
}

/**
 * One delivery attempt. Idempotent: a message already sent (or cancelled) is skipped, the provider
 * gets the row's idempotency key, and a reminder whose booking is no longer confirmed is dropped.
 * Returns "retry" for a transient failure (the job throws and is retried with backoff) and "dead"
 * when the last attempt failed or the failure is permanent.
 */
export async function deliverNotification(db: Db, id: string, lastAttempt: boolean): Promise<DeliveryOutcome> {
  const [n] = await db.select().from(notifications).where(eq(notifications.id, id)).limit(1);
  if (!n || n.status !== "pending") return "skipped";
  if (n.type === "reminder" && n.bookingId) {
    const [b] = await db.select({ status: bookings.status }).from(bookings).where(eq(bookings.id, n.bookingId));
    if (b?.status !== "confirmed") {
      await db.update(notifications).set({ status: "cancelled" }).where(and(eq(notifications.id, n.id), eq(notifications.status, "pending")));
      return "cancelled";
    }
  }
  const done = (providerMessageId: string | null) =>
    db
      .update(notifications)
      .set({ status: "sent", sentAt: new Date(), providerMessageId, attempts: sql`${notifications.attempts} + 1`, lastError: null })
      .where(and(eq(notifications.id, n.id), eq(notifications.status, "pending")));
  if (n.channel === "in_app") {
    await done(null);
    await record(db, n, "sent");
    return "sent";
  }
  const [user] = await db.select().from(users).where(eq(users.id, n.userId)).limit(1);
  const to = n.channel === "email" ? user?.email : user?.phone;
  const payload = n.payload as { event: NotificationEvent; data: unknown };
  try {
    if (!to) throw new ChannelError(`recipient has no ${n.channel} address`, { retryable: false, code: "no_address", provider: "dev" });
    const data = parseEventData(payload.event, payload.data) as AnyEventData;
    const rendered = render(payload.event, payload.data as never, n.locale === "en" ? "en" : "zh-CN");
    const channel = n.channel === "email" ? channels().email : channels().sms;
    const result = await channel.send({
      to,
      title: n.title,
      text: n.body,
      html: rendered.html,
      sms: rendered.sms,
      attachments: n.channel === "email" ? attachmentsFor(n, payload.event, data, to) : undefined,
      idempotencyKey: n.idempotencyKey,
    });
    await done(result.providerMessageId);
    await record(db, n, "sent", { providerMessageId: result.providerMessageId });
    return "sent";
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const permanent = !(e instanceof ChannelError) || !e.retryable;
    const dead = permanent || lastAttempt;
    await record(db, n, dead ? "dead" : "failed", { error: message });
    await db
      .update(notifications)
      .set({ status: dead ? "dead" : "pending", attempts: sql`${notifications.attempts} + 1`, lastError: message })
      .where(eq(notifications.id, n.id));
    if (dead) await fallbackToInbox(db, n);
    return dead ? "dead" : "retry";
  }
}

/** A message that cannot go by email or SMS still reaches the customer's inbox. */
async function fallbackToInbox(db: Db, n: Notification): Promise<void> {
  // The in-app key of the same message: when it already went to the inbox, nothing is added.
  const key = n.idempotencyKey.replace(/:(email|sms)$/, ":in_app");
  await db
    .insert(notifications)
    .values({ userId: n.userId, bookingId: n.bookingId, type: n.type, channel: "in_app", locale: n.locale, title: n.title, body: n.body, payload: n.payload, idempotencyKey: key, status: "sent", sentAt: new Date() })
    .onConflictDoNothing({ target: notifications.idempotencyKey });
}
