import { z } from "zod";
import type { Operation } from "@/lib/api/openapi";
import { errorSchema } from "@/lib/api/schemas";
import { adjustPassSchema, couponSchema, deskSaleSchema, passPlanSchema, refundPassSchema } from "@/lib/validations/passes";
import { payBookingSchema } from "@/lib/validations/payment";

const kind = z.enum(["visits", "value", "membership"]);
export const passSchema = z.object({
  id: z.uuid(),
  kind,
  name: z.string(),
  remainingUses: z.int().optional(),
  balanceFen: z.int().optional(),
  discountPercent: z.int().optional(),
  expiresAt: z.string().optional(),
  serviceIds: z.array(z.uuid()),
  state: z.enum(["active", "expired", "used_up", "refunded"]),
  createdAt: z.string(),
});
const planSchema = z.object({
  id: z.uuid(),
  kind,
  name: z.string(),
  priceFen: z.int(),
  visits: z.int().nullable(),
  bonusFen: z.int(),
  discountPercent: z.int().nullable(),
  serviceIds: z.array(z.uuid()),
  validDays: z.int().nullable(),
  active: z.boolean(),
});
const couponDtoSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  kind: z.enum(["fixed", "percent"]),
  amountFen: z.int().nullable(),
  percent: z.int().nullable(),
  serviceIds: z.array(z.uuid()),
  maxUses: z.int().nullable(),
  maxUsesPerCustomer: z.int().nullable(),
  usedCount: z.int(),
  expiresAt: z.string().nullable(),
  active: z.boolean(),
});
const saleSchema = z.object({ id: z.uuid(), status: z.string(), amountFen: z.int(), method: z.string().nullable().optional() });
const errors = {
  400: { description: "Invalid input", schema: errorSchema },
  401: { description: "No or invalid bearer token", schema: errorSchema },
  404: { description: "Not found (or not yours)", schema: errorSchema },
};
const staff = { ...errors, 403: { description: "Not staff", schema: errorSchema } };

/** Member cards and passes (次卡 / 储值卡 / 会员卡) and coupons; paying a booking with them is POST /api/v1/bookings. */
export const passOperations: Operation[] = [
  {
    method: "get",
    path: "/api/v1/me/passes",
    summary: "The caller's cards, usable ones first",
    auth: "user",
    responses: { 200: { description: "Cards", schema: z.object({ passes: z.array(passSchema) }) }, 401: errors[401] },
  },
  {
    method: "get",
    path: "/api/v1/pass-plans",
    summary: "Cards on sale",
    responses: { 200: { description: "Plans", schema: z.object({ plans: z.array(planSchema) }) } },
  },
  {
    method: "post",
    path: "/api/v1/pass-plans/{id}/buy",
    summary: "Buy a card online: a card order and its gateway order (the card is issued when paid)",
    auth: "user",
    body: payBookingSchema,
    responses: {
      201: {
        description: "Order created at the gateway",
        schema: z.object({
          sale: saleSchema,
          payment: z.object({ id: z.uuid(), outTradeNo: z.string(), amountFen: z.int(), status: z.string() }),
          payUrl: z.string().optional(),
          codeUrl: z.string().optional(),
        }),
      },
      ...errors,
      502: { description: "PAYMENT_FAILED", schema: errorSchema },
    },
  },
  {
    method: "get",
    path: "/api/v1/staff/pass-plans",
    summary: "Every card plan (staff)",
    auth: "staff",
    responses: { 200: { description: "Plans", schema: z.object({ plans: z.array(planSchema) }) }, ...staff },
  },
  {
    method: "post",
    path: "/api/v1/staff/pass-plans",
    summary: "Define a card plan (staff)",
    auth: "staff",
    body: passPlanSchema,
    responses: { 201: { description: "Created", schema: z.object({ plan: planSchema }) }, ...staff },
  },
  {
    method: "post",
    path: "/api/v1/staff/passes",
    summary: "Sell a card at the desk: paid in cash, by card or otherwise, recorded with who sold it",
    auth: "staff",
    body: deskSaleSchema,
    responses: { 201: { description: "Sold", schema: z.object({ pass: passSchema, sale: saleSchema }) }, ...staff },
  },
  {
    method: "post",
    path: "/api/v1/staff/passes/{id}/adjust",
    summary: "Grant or take back visits or stored fen, with a reason (audited)",
    auth: "staff",
    body: adjustPassSchema,
    responses: { 200: { description: "Adjusted", schema: z.object({ pass: passSchema }) }, ...staff },
  },
  {
    method: "post",
    path: "/api/v1/staff/passes/{id}/refund",
    summary: "Refund a card: unused visits pro rata, stored value paid minus spent, membership by time left",
    auth: "staff",
    body: refundPassSchema,
    responses: { 200: { description: "Refunded", schema: z.object({ pass: passSchema, refundFen: z.int() }) }, ...staff },
  },
  {
    method: "get",
    path: "/api/v1/staff/coupons",
    summary: "Every coupon with its uses (staff)",
    auth: "staff",
    responses: { 200: { description: "Coupons", schema: z.object({ coupons: z.array(couponDtoSchema) }) }, ...staff },
  },
  {
    method: "post",
    path: "/api/v1/staff/coupons",
    summary: "Create a coupon (staff)",
    auth: "staff",
    body: couponSchema,
    responses: {
      201: { description: "Created", schema: z.object({ coupon: couponDtoSchema }) },
      ...staff,
      409: { description: "CONFLICT: the code exists", schema: errorSchema },
    },
  },
];
