import "server-only";
import { storedText } from "@/lib/i18n/error-text";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { bookings, notificationDeliveries, notifications, users, type Notification } from "@/db/schema";
import { env } from "@/lib/env";
import {
  type Attachment,
  type Channel,
  channelConfigFromEnv,
  ChannelError,
  type ChannelMessage,
  type Channels,
  channelsFromConfig,
  type SendResult,
} from "./channels";
import { bookingIcsAttachment, parseMailbox } from "./ics";
import { smsTemplateConfig } from "./sms-config";
import { parseEventData, render, type AnyEventData, type NotificationEvent } from "./templates";
import { isVerificationCode, verificationMessage } from "./verification-code";
import { createWechatSubscribeChannel } from "./channels/wechat-subscribe";
import { enqueueDelivery } from "./outbox";
import { subscribeData } from "./wechat-subscribe";

const holder = globalThis as unknown as { yuyueChannels?: Channels };
export const channels = (): Channels => (holder.yuyueChannels ??= channelsFromConfig(channelConfigFromEnv()));

/** Events whose email carries the booking as a calendar invitation (a cancellation removes it). */
const icsEvents = new Set<NotificationEvent>([
  "booking_confirmed",
  "payment_received",
  "booking_rescheduled",
  "reminder",
  "booking_cancelled",
]);

/** "review": the message may have gone out and nobody can tell; staff decide (status `failed`). */
export type DeliveryOutcome = "sent" | "skipped" | "cancelled" | "retry" | "dead" | "review";

/**
 * How long after an unanswered attempt the provider's send records are trusted to be complete.
 * Before that, "no record" may only mean "not there yet" (the call may still be on its way: the
 * SMS channel's own timeout is 10 s), so the attempt is asked about again later; after it, the
 * message never reached the provider and is sent. A killed worker's job comes back 20-35 s after
 * the kill (lease + monitor pass + first retry delay), so in the usual case one look suffices.
 */
export const RECORD_SETTLE_MS = 30_000;

/** Provider answers to a repeated key that say an earlier request under it exists. */
const KEY_ALREADY_USED = new Set(["invalid_idempotent_request"]);

const IN_DOUBT = "deliveryUncertain";

function attachmentsFor(n: Notification, event: NotificationEvent, data: AnyEventData, to: string): Attachment[] | undefined {
  if (!icsEvents.has(event) || !n.bookingId) return undefined;
  const cancelled = event === "booking_cancelled";
  return [
    bookingIcsAttachment({
      // Messages written before payloads carried `calendar` fall back to their own booking.
      bookingId: data.calendar?.bookingId ?? n.bookingId,
      sequence: data.calendar?.sequence ?? (cancelled ? 1 : 0),
      startsAt: data.startsAt,
      endsAt: data.endsAt,
      summary: `${data.serviceName} · ${data.businessName}`,
      location: data.address,
      url: data.manageUrl,
      organizer: parseMailbox(env.MAIL_FROM),
      attendee: { name: data.customerName, email: to },
      cancelled,
      stampedAt: n.createdAt,
    }),
  ];
}

/** A booking event's provider message, rendered in the row's language with the configured SMS templates. */
function renderMessage(n: Notification, payload: { event: NotificationEvent; data: unknown }, to: string): ChannelMessage {
  const data = parseEventData(payload.event, payload.data) as AnyEventData;
  const sms = smsTemplateConfig();
  const rendered = render(payload.event, payload.data as never, n.locale === "en" ? "en" : "zh-CN", { smsTemplateCodes: sms.templates });
  const templateId = (payload as { wechatTemplateId?: unknown }).wechatTemplateId;
  return {
    to,
    title: n.title,
    text: n.body,
    html: rendered.html,
    sms: { ...rendered.sms, signName: sms.signNames[payload.event] },
    wechat: n.channel === "wechat" && typeof templateId === "string" ? { templateId, data: subscribeData(data) } : undefined,
    attachments: n.channel === "email" ? attachmentsFor(n, payload.event, data, to) : undefined,
    idempotencyKey: n.idempotencyKey,
  };
}

/** The provider message a row becomes: what the worker sends, and what the dev outbox shows staff it sent. */
export function messageFor(n: Notification, to: string): ChannelMessage {
  return isVerificationCode(n)
    ? verificationMessage(n, to)
    : renderMessage(n, n.payload as { event: NotificationEvent; data: unknown }, to);
}

type DeliveryExtra = { providerMessageId?: string; error?: string };

async function record(db: Db, n: Notification, outcome: string, extra: DeliveryExtra = {}) {
  await db.insert(notificationDeliveries).values({ notificationId: n.id, attempt: n.attempts + 1, outcome, ...extra });
}

/**
 * An attempt whose provider call began and never settled: its worker died (or lost the database)
 * during the call, or the call ended without an answer. It keeps the attempt's number, because
 * `attempts` only moves when an attempt settles.
 */
async function openAttempt(db: Db, n: Notification): Promise<{ id: string; createdAt: Date } | undefined> {
  const [row] = await db
    .select({ id: notificationDeliveries.id, createdAt: notificationDeliveries.createdAt })
    .from(notificationDeliveries)
    .where(
      and(
        eq(notificationDeliveries.notificationId, n.id),
        eq(notificationDeliveries.attempt, n.attempts + 1),
        eq(notificationDeliveries.outcome, "started"),
      ),
    )
    .orderBy(asc(notificationDeliveries.createdAt))
    .limit(1);
  return row;
}

/** Written (and committed) before the provider is called: from here on the message may be out. */
async function startAttempt(db: Db, n: Notification): Promise<string> {
  const [row] = await db
    .insert(notificationDeliveries)
    .values({ notificationId: n.id, attempt: n.attempts + 1, outcome: "started" })
    .returning({ id: notificationDeliveries.id });
  if (!row) throw new Error("delivery attempt not recorded");
  return row.id;
}

async function settleAttempt(db: Db, id: string, outcome: string, extra: DeliveryExtra = {}) {
  await db
    .update(notificationDeliveries)
    .set({ outcome, ...extra })
    .where(eq(notificationDeliveries.id, id));
}

type Doubt = { kind: "resend" } | { kind: "sent"; result: SendResult } | { kind: "wait"; reason: string } | { kind: "review" };

/**
 * What to do about an attempt that may have reached the provider. A provider that deduplicates on
 * the key (Resend, within its window) gets the message again under the same key: it answers with
 * the first one. One that keeps send records (Aliyun SMS) is asked whether it has ours. Any other
 * case is never re-sent blindly: the message goes to staff for review.
 */
async function resolveDoubt(channel: Channel, message: ChannelMessage, startedAt: Date, now: Date): Promise<Doubt> {
  const age = now.getTime() - startedAt.getTime();
  if (channel.dedupSeconds && age < channel.dedupSeconds * 1000) return { kind: "resend" };
  if (!channel.findSent) return { kind: "review" };
  let found: SendResult | null;
  try {
    found = await channel.findSent(message, startedAt);
  } catch (e) {
    return { kind: "wait", reason: `provider send records unavailable: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (found) return { kind: "sent", result: found };
  if (age >= RECORD_SETTLE_MS) return { kind: "resend" };
  return { kind: "wait", reason: "provider has no record of the unanswered attempt yet" };
}

/**
 * One delivery attempt. Idempotent: a message already sent (or cancelled) is skipped, the provider
 * gets the row's idempotency key, and a reminder whose booking is no longer confirmed is dropped.
 * The attempt is recorded as `started` (committed) before the provider is called, so one that a
 * killed worker left behind is recognised and settled by `resolveDoubt`, not blindly repeated.
 * Returns "retry" for a transient failure (the job throws and is retried with backoff), "dead"
 * when the last attempt failed or the failure is permanent, "review" for a message in doubt.
 */
export async function deliverNotification(db: Db, id: string, lastAttempt: boolean): Promise<DeliveryOutcome> {
  const [n] = await db.select().from(notifications).where(eq(notifications.id, id)).limit(1);
  if (!n || n.status !== "pending") return "skipped";
  if (n.type === "reminder" && n.bookingId) {
    const [b] = await db.select({ status: bookings.status }).from(bookings).where(eq(bookings.id, n.bookingId));
    if (b?.status !== "confirmed") {
      await db
        .update(notifications)
        .set({ status: "cancelled" })
        .where(and(eq(notifications.id, n.id), eq(notifications.status, "pending")));
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
  if (n.expiresAt && n.expiresAt.getTime() <= Date.now()) {
    // A verification code past its expiry: sending it now would only mislead.
    await db
      .update(notifications)
      .set({ status: "cancelled", lastError: "expired before delivery" })
      .where(and(eq(notifications.id, n.id), eq(notifications.status, "pending")));
    await record(db, n, "expired");
    return "cancelled";
  }
  const [user] = n.userId ? await db.select().from(users).where(eq(users.id, n.userId)).limit(1) : [];
  const to = n.recipient ?? (n.channel === "email" ? user?.email : n.channel === "wechat" ? user?.wechatOpenid : user?.phone);
  const channel =
    n.channel === "email"
      ? channels().email
      : n.channel === "wechat"
        ? (channels().wechat ?? createWechatSubscribeChannel(null))
        : channels().sms;
  let attemptId: string | undefined;
  let accepted = false;
  let resending = false;
  // Once the provider may have the message, a failure leaves the attempt open instead of failing it.
  const stillInDoubt = async (reason: string): Promise<DeliveryOutcome> => {
    if (lastAttempt) return review(db, n, attemptId, reason);
    await db
      .update(notifications)
      .set({ lastError: reason })
      .where(and(eq(notifications.id, n.id), eq(notifications.status, "pending")));
    return "retry";
  };
  try {
    if (!to) throw new ChannelError(`recipient has no ${n.channel} address`, { retryable: false, code: "no_address", provider: "dev" });
    const message = messageFor(n, to);
    const open = await openAttempt(db, n);
    if (open) {
      attemptId = open.id;
      resending = true;
      const doubt = await resolveDoubt(channel, message, open.createdAt, new Date());
      if (doubt.kind === "review") return review(db, n, attemptId, IN_DOUBT);
      if (doubt.kind === "wait") return stillInDoubt(doubt.reason);
      if (doubt.kind === "sent") {
        await done(doubt.result.providerMessageId);
        await settleAttempt(db, attemptId, "sent", { providerMessageId: doubt.result.providerMessageId });
        return "sent";
      }
    }
    attemptId ??= await startAttempt(db, n);
    const result = await channel.send(message);
    accepted = true;
    await done(result.providerMessageId);
    await settleAttempt(db, attemptId, "sent", { providerMessageId: result.providerMessageId });
    return "sent";
  } catch (e) {
    // The provider took the message and recording it failed (the database went away): the job
    // fails and its retry settles the still-open attempt (same key, or the provider's records).
    if (accepted) throw e;
    const message = e instanceof Error ? e.message : String(e);
    if (resending && e instanceof ChannelError && KEY_ALREADY_USED.has(e.code)) {
      // The provider holds an earlier request under this key (the payload changed since, e.g. a
      // new release re-rendered it): the message most likely went out; staff decide.
      return review(db, n, attemptId, storedText(IN_DOUBT, message));
    }
    if (attemptId && e instanceof ChannelError && e.maybeDelivered && !channel.dedupSeconds) {
      // No answer from a provider that cannot deduplicate: the next attempt asks it first.
      return stillInDoubt(message);
    }
    const permanent = !(e instanceof ChannelError) || !e.retryable;
    const dead = permanent || lastAttempt;
    const extra = { error: message };
    if (attemptId) await settleAttempt(db, attemptId, dead ? "dead" : "failed", extra);
    else await record(db, n, dead ? "dead" : "failed", extra);
    // Guarded: an earlier run of the same message that finished meanwhile keeps its `sent`.
    await db
      .update(notifications)
      .set({ status: dead ? "dead" : "pending", attempts: sql`${notifications.attempts} + 1`, lastError: message })
      .where(and(eq(notifications.id, n.id), eq(notifications.status, "pending")));
    if (dead) await fallbackToInbox(db, n);
    if (dead && n.channel === "wechat") await fallbackToSms(db, n, user?.phone);
    return dead ? "dead" : "retry";
  }
}

/**
 * A message that may or may not have gone out, and no way left to find out: status `failed`
 * (staff can resend it from the outbox, knowingly), the attempt closed as `in_doubt`, and the
 * customer still gets the inbox copy.
 */
async function review(db: Db, n: Notification, attemptId: string | undefined, reason: string): Promise<DeliveryOutcome> {
  if (attemptId) await settleAttempt(db, attemptId, "in_doubt", { error: reason });
  await db
    .update(notifications)
    .set({ status: "failed", attempts: sql`${notifications.attempts} + 1`, lastError: reason })
    .where(and(eq(notifications.id, n.id), eq(notifications.status, "pending")));
  await fallbackToInbox(db, n);
  return "review";
}

/** A message that cannot go by email or SMS still reaches the customer's inbox. */
async function fallbackToInbox(db: Db, n: Notification): Promise<void> {
  // A verification code has no inbox copy: the inbox cannot carry the code, and a number with no
  // account has no inbox.
  if (!n.userId || isVerificationCode(n)) return;
  // The in-app key of the same message: when it already went to the inbox, nothing is added.
  const key = n.idempotencyKey.replace(/:(email|sms|wechat)$/, ":in_app");
  await db
    .insert(notifications)
    .values({
      userId: n.userId,
      bookingId: n.bookingId,
      type: n.type,
      channel: "in_app",
      locale: n.locale,
      title: n.title,
      body: n.body,
      payload: n.payload,
      idempotencyKey: key,
      status: "sent",
      sentAt: new Date(),
    })
    .onConflictDoNothing({ target: notifications.idempotencyKey });
}

/**
 * A WeChat subscribe message WeChat would not deliver (the customer refused it, 43101, or the
 * template is wrong): the message goes by SMS as it would have without the grant, under the SMS
 * key of the same message, so it is written (and sent) once however often this runs.
 */
async function fallbackToSms(db: Db, n: Notification, phone: string | null | undefined): Promise<void> {
  if (!n.userId || !phone) return;
  const { wechatTemplateId: _unused, ...payload } = n.payload as Record<string, unknown>;
  await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(notifications)
      .values({
        userId: n.userId,
        bookingId: n.bookingId,
        type: n.type,
        channel: "sms",
        locale: n.locale,
        title: n.title,
        body: n.body,
        payload,
        idempotencyKey: n.idempotencyKey.replace(/:wechat$/, ":sms"),
      })
      .onConflictDoNothing({ target: notifications.idempotencyKey })
      .returning({ id: notifications.id });
    if (row) await enqueueDelivery(tx, row.id);
  });
}
