import { z } from "zod";
import type { Operation } from "@/lib/api/openapi";
import { errorSchema } from "@/lib/api/schemas";
import { outboxQuerySchema, outboxStatuses, resendSchema } from "@/lib/notifications/dead-letters";
import { inboxQuerySchema } from "@/lib/notifications/inbox";

/** Response shapes of the inbox and outbox endpoints; dates travel as ISO strings. */
export const inboxMessageSchema = z.object({
  id: z.uuid(),
  type: z.string(),
  channel: z.literal("in_app"),
  title: z.string(),
  body: z.string(),
  /** The message's action on this site as a path (pay or accept a held seat), or null. */
  link: z.string().nullable(),
  /** The booking the message is about, or null. */
  bookingId: z.uuid().nullable(),
  readAt: z.string().nullable(),
  sentAt: z.string(),
  createdAt: z.string(),
});

const deliveryAttemptSchema = z.object({
  attempt: z.int(),
  outcome: z.string(),
  providerMessageId: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
});

export const outboxEntrySchema = z.object({
  id: z.uuid(),
  userId: z.uuid().nullable(),
  recipientName: z.string(),
  bookingId: z.uuid().nullable(),
  type: z.string(),
  channel: z.enum(["email", "sms", "wechat", "in_app"]),
  status: z.enum(outboxStatuses),
  title: z.string(),
  attempts: z.int(),
  lastError: z.string().nullable(),
  providerMessageId: z.string().nullable(),
  sendAfter: z.string(),
  sentAt: z.string().nullable(),
  createdAt: z.string(),
  deliveries: z.array(deliveryAttemptSchema),
});

const unauthorized = { description: "No or invalid token", schema: errorSchema };
const forbidden = { description: "Not staff", schema: errorSchema };
const notFound = { description: "No such message (or not yours)", schema: errorSchema };

/** Register with `openApiDocument(notificationOperations)`. */
export const notificationOperations: Operation[] = [
  {
    method: "get",
    path: "/api/v1/notifications",
    summary: "The caller's in-app inbox (delivered messages, newest first) and unread count",
    auth: "user",
    query: inboxQuerySchema,
    responses: {
      200: {
        description: "Inbox page; pass nextBefore as `before` for the next one",
        schema: z.object({ notifications: z.array(inboxMessageSchema), unread: z.int(), nextBefore: z.uuid().nullable() }),
      },
      400: { description: "Invalid query", schema: errorSchema },
      401: unauthorized,
    },
  },
  {
    method: "post",
    path: "/api/v1/notifications/{id}/read",
    summary: "Mark one of the caller's messages read (idempotent)",
    auth: "user",
    responses: {
      200: { description: "Read", schema: z.object({ notification: inboxMessageSchema, unread: z.int() }) },
      401: unauthorized,
      404: notFound,
    },
  },
  {
    method: "post",
    path: "/api/v1/notifications/read-all",
    summary: "Mark every message of the caller read",
    auth: "user",
    responses: { 200: { description: "Done", schema: z.object({ marked: z.int(), unread: z.int() }) }, 401: unauthorized },
  },
  {
    method: "get",
    path: "/api/v1/staff/outbox",
    summary: "Outbox rows with their delivery history: dead letters, failures, pending and sent (staff only)",
    auth: "staff",
    query: outboxQuerySchema,
    responses: {
      200: { description: "Outbox page", schema: z.object({ notifications: z.array(outboxEntrySchema), limit: z.int(), offset: z.int() }) },
      400: { description: "Invalid query", schema: errorSchema },
      401: unauthorized,
      403: forbidden,
    },
  },
  {
    method: "post",
    path: "/api/v1/staff/outbox/{id}/resend",
    summary: "Put a dead or failed message back in the outbox and enqueue its delivery (staff only, audited)",
    auth: "staff",
    body: resendSchema,
    responses: {
      200: { description: "Queued again", schema: z.object({ notification: outboxEntrySchema }) },
      401: unauthorized,
      403: forbidden,
      404: notFound,
      409: { description: "The message is not dead or failed", schema: errorSchema },
    },
  },
];
