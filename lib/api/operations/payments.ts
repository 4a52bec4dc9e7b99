import { z } from "zod";
import type { Operation } from "@/lib/api/openapi";
import { errorSchema } from "@/lib/api/schemas";
import { invoiceRequestSchema } from "@/lib/validations/invoice";
import { passOperations } from "@/lib/api/operations/passes";
import { payBookingSchema } from "@/lib/validations/payment";

const paymentSchema = z.object({
  id: z.uuid(),
  bookingId: z.uuid().nullable(),
  provider: z.enum(["alipay", "wechat", "sandbox", "paypal"]),
  gateway: z.enum(["alipay", "wechat", "paypal"]),
  channel: z.string(),
  outTradeNo: z.string(),
  amountFen: z.int(),
  refundedFen: z.int(),
  status: z.enum(["pending", "paid", "closed", "failed", "partially_refunded", "refunded"]),
});

const invoiceSchema = z.object({
  id: z.uuid(),
  bookingId: z.uuid(),
  kind: z.enum(["personal", "company"]),
  title: z.string(),
  taxNo: z.string().nullable(),
  email: z.string().nullable(),
  amountFen: z.int(),
  status: z.enum(["requested", "issued"]),
  invoiceNo: z.string().nullable(),
  issuedAt: z.string().nullable(),
  createdAt: z.string(),
});

export const paymentOperations: Operation[] = [
  {
    method: "get",
    path: "/api/v1/bookings/{id}/invoice",
    summary: "The booking's fapiao (发票) request, or null",
    auth: "user",
    responses: {
      200: { description: "The request", schema: z.object({ invoice: invoiceSchema.nullable() }) },
      401: { description: "No or invalid bearer token", schema: errorSchema },
      404: { description: "Not found (or not yours)", schema: errorSchema },
    },
  },
  {
    method: "post",
    path: "/api/v1/bookings/{id}/invoice",
    summary: "Ask for a fapiao on what was paid (a company needs its tax number); correctable until staff issue it",
    auth: "user",
    body: invoiceRequestSchema,
    responses: {
      201: { description: "Requested", schema: z.object({ invoice: invoiceSchema }) },
      400: { description: "Invalid input", schema: errorSchema },
      401: { description: "No or invalid bearer token", schema: errorSchema },
      404: { description: "Not found (or not yours)", schema: errorSchema },
      409: { description: "CONFLICT: nothing paid yet, or already issued", schema: errorSchema },
    },
  },
  {
    method: "post",
    path: "/api/v1/bookings/{id}/pay",
    summary:
      "Start a payment for a booking on hold (or, once confirmed, for its balance due): Alipay page/WAP URL or QR, WeChat Native code_url, " +
      "H5 or JSAPI params, PayPal approval URL (provider paypal only where configured; 400 otherwise)",
    auth: "user",
    body: payBookingSchema,
    responses: {
      201: {
        description: "Payment attempt created at the gateway",
        schema: z.object({
          payment: paymentSchema,
          payUrl: z.string().optional(),
          codeUrl: z.string().optional(),
          h5Url: z.string().optional(),
          jsapiParams: z.record(z.string(), z.string()).optional(),
        }),
      },
      400: { description: "Invalid input", schema: errorSchema },
      401: { description: "No or invalid bearer token", schema: errorSchema },
      404: { description: "Not found (or not yours)", schema: errorSchema },
      409: { description: "ALREADY_PAID or INVALID_STATE (hold expired, cancelled…)", schema: errorSchema },
      502: { description: "PAYMENT_FAILED: the gateway refused or is not configured", schema: errorSchema },
    },
  },
  {
    method: "post",
    path: "/api/payments/alipay/notify",
    summary: "Alipay asynchronous notice (form-encoded, RSA2); answers the text success or failure",
    responses: { 200: { description: "success / failure" } },
  },
  {
    method: "post",
    path: "/api/payments/wechat/notify",
    summary: "WeChat Pay notice (JSON, Wechatpay-* signature headers, AES-256-GCM resource)",
    responses: {
      204: { description: "Accepted" },
      400: { description: "Rejected (WeChat retries)" },
      500: { description: "Failed (WeChat retries)" },
    },
  },
  {
    method: "post",
    path: "/api/payments/paypal/notify",
    summary: "PayPal webhook (JSON, PAYPAL-TRANSMISSION-* headers, SHA256withRSA by the certificate at PAYPAL-CERT-URL)",
    responses: {
      200: { description: "Accepted (also a redelivery)" },
      400: { description: "Rejected: not verified, unknown order or amount (PayPal retries)" },
      500: { description: "Failed (PayPal retries)" },
    },
  },
  ...passOperations,
];
