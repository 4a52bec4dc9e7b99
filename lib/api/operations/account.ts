import { z } from "zod";
import type { Operation } from "@/lib/api/openapi";
import { errorSchema } from "@/lib/api/schemas";
import { deleteAccountSchema } from "@/lib/validations/privacy";

const iso = z.string();
const nullableIso = iso.nullable();

/** `GET /api/v1/me/export`: what lib/pii/export-my-data.ts returns. */
export const myDataExportSchema = z.object({
  exportedAt: iso,
  profile: z.object({
    id: z.uuid(),
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    phoneVerifiedAt: nullableIso,
    role: z.enum(["customer", "staff", "admin"]),
    locale: z.string(),
    groups: z.array(z.string()),
    notificationPrefs: z.object({ email: z.boolean(), sms: z.boolean(), inApp: z.boolean() }),
    wechatLinked: z.boolean(),
    privacyConsent: z.object({ version: z.string(), at: nullableIso }).nullable(),
    createdAt: iso,
  }),
  bookings: z.array(
    z.object({
      id: z.uuid(),
      code: z.string(),
      service: z.string(),
      startsAt: iso,
      endsAt: iso,
      seats: z.int(),
      status: z.string(),
      priceFen: z.int(),
      fields: z.record(z.string(), z.unknown()),
      checkedInAt: nullableIso,
      cancelledAt: nullableIso,
      createdAt: iso,
    }),
  ),
  payments: z.array(
    z.object({
      id: z.uuid(),
      bookingId: z.uuid(),
      gateway: z.string(),
      amountFen: z.int(),
      refundedFen: z.int(),
      status: z.string(),
      paidAt: nullableIso,
      createdAt: iso,
      refunds: z.array(z.object({ id: z.uuid(), amountFen: z.int(), status: z.string(), createdAt: iso })),
    }),
  ),
  messages: z.array(
    z.object({
      id: z.uuid(),
      channel: z.string(),
      type: z.string(),
      title: z.string(),
      body: z.string(),
      status: z.string(),
      sentAt: nullableIso,
      readAt: nullableIso,
      createdAt: iso,
    }),
  ),
});

const unauthorized = { description: "No or invalid token", schema: errorSchema };

/** Account self-service under PIPL (个人信息保护法): take my data, delete my account. */
export const accountOperations: Operation[] = [
  {
    method: "get",
    path: "/api/v1/me/export",
    summary: "Everything kept about the caller: profile, bookings with form answers, payments and refunds, messages",
    auth: "user",
    responses: { 200: { description: "The caller's data (and nobody else's)", schema: myDataExportSchema }, 401: unauthorized },
  },
  {
    method: "delete",
    path: "/api/v1/me",
    summary:
      "Delete the caller's account after re-authentication (password, or the code texted by POST /api/v1/auth/otp to the account's number). " +
      "Refused while a booking is ahead (cancel it first); otherwise the account is anonymised, its bookings' form answers scrubbed and " +
      "its messages, sessions and tokens removed; bookings and payments stay for the ledger",
    auth: "user",
    body: deleteAccountSchema,
    responses: {
      200: { description: "Deleted", schema: z.object({ deleted: z.literal(true) }) },
      400: { description: "Neither password nor code given", schema: errorSchema },
      401: { description: "No or invalid token, or wrong password or code", schema: errorSchema },
      409: { description: "A booking is still ahead (CONFLICT, its codes in details.bookings)", schema: errorSchema },
      429: { description: "Too many wrong codes", schema: errorSchema },
    },
  },
];
