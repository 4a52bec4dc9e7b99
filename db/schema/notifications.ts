import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { encryptedText } from "@/lib/pii/columns";
import { bookings } from "./bookings";
import { users } from "./users";

export const notificationChannel = pgEnum("notification_channel", ["email", "sms", "in_app", "wechat"]);
export const notificationStatus = pgEnum("notification_status", ["pending", "sent", "failed", "dead", "cancelled"]);

/** Outbox and in-app inbox in one: a row is written in the transaction that causes it. */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Null only for a message to an address with no account yet (a sign-up verification code, in `recipient`). */
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    /** The phone or email to send to instead of the user's own (verification codes). */
    recipient: encryptedText("recipient"),
    /** Not sent after this (a verification code past its expiry): cancelled instead of retried. */
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    bookingId: uuid("booking_id").references(() => bookings.id),
    type: text("type").notNull(),
    channel: notificationChannel("channel").notNull(),
    locale: text("locale").notNull().default("zh-CN"),
    title: text("title").notNull(),
    body: text("body").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    status: notificationStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    providerMessageId: text("provider_message_id"),
    /** Sent to the provider as its idempotency key; unique so a retried job sends once. */
    idempotencyKey: text("idempotency_key").notNull(),
    sendAfter: timestamp("send_after", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    readAt: timestamp("read_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("notifications_idempotency_key").on(t.idempotencyKey),
    // the inbox: a user's in-app messages, newest first, and the unread count
    index("notifications_inbox_idx")
      .on(t.userId, t.createdAt)
      .where(sql`${t.channel} = 'in_app'`),
    index("notifications_booking_idx").on(t.bookingId),
    index("notifications_status_idx").on(t.status, t.sendAfter),
    check("notifications_recipient_check", sql`${t.userId} is not null or ${t.recipient} is not null`),
  ],
);

export type Notification = typeof notifications.$inferSelect;

/** One row per delivery attempt: the history staff read next to dead letters. */
export const notificationDeliveries = pgTable(
  "notification_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    notificationId: uuid("notification_id")
      .notNull()
      .references(() => notifications.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    outcome: text("outcome").notNull(),
    providerMessageId: text("provider_message_id"),
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("notification_deliveries_notification_idx").on(t.notificationId)],
);

/**
 * WeChat subscribe-message grants (订阅消息): each is the customer's yes to one message of one
 * template, as WeChat counts them (one tap on the booking page = one message). The outbox claims an
 * open grant when it writes a WeChat row; without one, the message goes by the other channels.
 */
export const wechatSubscriptions = pgTable(
  "wechat_subscriptions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    event: text("event").notNull(),
    templateId: text("template_id").notNull(),
    grantedAt: timestamp("granted_at", { withTimezone: true }).notNull().defaultNow(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [
    // the outbox's lookup of a customer's open grant for an event
    index("wechat_subscriptions_open_idx")
      .on(t.userId, t.event)
      .where(sql`${t.usedAt} is null`),
  ],
);
