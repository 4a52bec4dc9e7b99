import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { notifications, users, type User } from "@/db/schema";
import { enqueue, enqueueMany } from "@/lib/jobs/enqueue";
import { toLocale } from "@/lib/i18n/config";
import { render, type EventInput, type NotificationEvent } from "./templates";
import { deliverJob } from "./deliver-job";
import { claimWechatGrant, templateKeyOf, wechatTemplates } from "./wechat-subscribe";

export type ChannelName = "email" | "sms" | "wechat" | "in_app";

/**
 * The channels a message goes by: the customer's preferences, restricted to the contacts they
 * have. A preferred channel they cannot be reached on falls back to another available one, and
 * the in-app inbox always works, so nobody ends up with no message at all.
 */
export function pickChannels(user: Pick<User, "email" | "phone" | "notificationPrefs">, staffCopy: boolean): ChannelName[] {
  if (staffCopy) return ["in_app"];
  const prefs = user.notificationPrefs;
  const reachable: Record<Exclude<ChannelName, "wechat">, boolean> = { email: Boolean(user.email), sms: Boolean(user.phone), in_app: true };
  const wanted = (["email", "sms", "in_app"] as const).filter((c) => (c === "in_app" ? prefs.inApp : prefs[c]));
  const out = wanted.filter((c) => reachable[c]);
  const lost = wanted.length - out.length;
  if (lost > 0) {
    const spare = (["email", "sms"] as const).find((c) => reachable[c] && !out.includes(c));
    out.push(spare ?? "in_app");
  }
  if (out.length === 0) out.push("in_app");
  return [...new Set(out)];
}

export type NotifyInput<E extends NotificationEvent> = {
  userId: string;
  /** The recipient's row when the caller has it already (saves a query per message). */
  recipient?: User;
  bookingId?: string | null;
  event: E;
  data: EventInput<E>;
  /** Dedupe key of this message, e.g. `booking_confirmed:<bookingId>`: writing it twice is a no-op. */
  key: string;
  sendAfter?: Date;
  /** Limit to these channels (a fallback message, say); default: the user's preferences. */
  channels?: ChannelName[];
};

/**
 * Writes the message into the outbox in the caller's transaction, one row per channel, and
 * enqueues its delivery in the same transaction: a rolled-back change sends nothing, a committed
 * one cannot lose its message. Rows are rendered now, in the recipient's language.
 */
export async function notify<E extends NotificationEvent>(tx: DbOrTx, input: NotifyInput<E>): Promise<string[]> {
  return notifyMany(tx, [input]);
}

/**
 * `notify` for several messages (a booking's confirmation, staff copies and reminders): every row
 * in one INSERT and every delivery job in one more statement, whatever the number of messages.
 */
export async function notifyMany(tx: DbOrTx, inputs: readonly NotifyInput<NotificationEvent>[]): Promise<string[]> {
  const values: (typeof notifications.$inferInsert)[] = [];
  let templates: Awaited<ReturnType<typeof wechatTemplates>> | undefined;
  for (const input of inputs) {
    const user =
      input.recipient?.id === input.userId
        ? input.recipient
        : (await tx.select().from(users).where(eq(users.id, input.userId)).limit(1))[0];
    if (!user) continue;
    const locale = toLocale(user.locale);
    const rendered = render(input.event, input.data as EventInput<typeof input.event>, locale);
    const staffCopy = input.event.startsWith("staff_");
    let channels = input.channels ?? pickChannels(user, staffCopy);
    const sendAfter = input.sendAfter ?? new Date();
    const payload = { event: input.event, data: JSON.parse(JSON.stringify(input.data)) as Record<string, unknown> };
    // A customer who granted this template gets it by WeChat instead of SMS (one grant per message).
    let wechatTemplateId: string | null = null;
    if (!input.channels && !staffCopy && user.wechatOpenid && templateKeyOf(input.event)) {
      templates ??= await wechatTemplates(tx);
      wechatTemplateId = await claimWechatGrant(tx, user, input.event, templates);
      if (wechatTemplateId) channels = [...channels.filter((c) => c !== "sms"), "wechat"];
    }
    for (const channel of channels) {
      values.push({
        userId: user.id,
        bookingId: input.bookingId ?? null,
        type: input.event,
        channel,
        locale,
        title: rendered.title,
        body: rendered.text,
        payload: channel === "wechat" ? { ...payload, wechatTemplateId } : payload,
        idempotencyKey: `${input.key}:${channel}`,
        sendAfter,
      });
    }
  }
  if (values.length === 0) return [];
  const rows = await tx
    .insert(notifications)
    .values(values)
    .onConflictDoNothing({ target: notifications.idempotencyKey })
    .returning({ id: notifications.id, sendAfter: notifications.sendAfter });
  const soon = Date.now() + 1000;
  await enqueueMany(
    tx,
    deliverJob,
    rows.map((r) => ({ data: { notificationId: r.id }, startAfter: r.sendAfter.getTime() > soon ? r.sendAfter : undefined })),
  );
  return rows.map((r) => r.id);
}

/** Queues one more delivery attempt of an outbox row (a staff resend). */
export async function enqueueDelivery(tx: DbOrTx, notificationId: string): Promise<void> {
  await enqueue(tx, deliverJob, { notificationId });
}

/** Drops a booking's messages still waiting (reminders of a cancelled or moved booking). */
export async function cancelPending(tx: DbOrTx, bookingId: string, types: NotificationEvent[]): Promise<number> {
  const rows = await tx
    .update(notifications)
    .set({ status: "cancelled" })
    .where(and(eq(notifications.bookingId, bookingId), eq(notifications.status, "pending"), inArray(notifications.type, types)))
    .returning({ id: notifications.id });
  return rows.length;
}
