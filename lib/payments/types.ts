/**
 * The narrow provider interface every gateway implements. It knows nothing about bookings or
 * the database: callers own state, idempotency and transitions (STYLE rule 13). Swapping an SDK
 * (e.g. wechatpay-node-v3 → wechatpay-axios-plugin) only touches that provider's files.
 */
import { z } from "zod";
import { payChannels, type PayChannel } from "@/lib/validations/payment";
import type { BillLine, BillTotals } from "./bill-wire";

export type ProviderName = "alipay" | "wechat" | "paypal";

/**
 * What a gateway assigned when the order was made, for the calls after it: PayPal names its orders
 * (orderId) and is paid in the order's own currency (amountMinor in its minor unit, e.g. cents);
 * captureId is the money movement refunds go against. Alipay and WeChat need none of it.
 */
export const gatewayOrderSchema = z.object({
  orderId: z.string().min(1),
  currency: z.string().regex(/^[A-Z]{3}$/),
  amountMinor: z.number().int().positive(),
  captureId: z.string().min(1).optional(),
});
export type GatewayOrder = z.infer<typeof gatewayOrderSchema>;

// Gateway-neutral channels (qr, page, mobile_web, jsapi) are part of the input contract: see lib/validations/payment.ts.
export { payChannels, type PayChannel };

/** 6-32 chars of the alphabet both gateways accept, so one out_trade_no works on either. */
export const outTradeNoSchema = z.string().regex(/^[0-9A-Za-z_-]{6,32}$/, "6-32 chars of [0-9A-Za-z_-]");

export const createOrderInputSchema = z.object({
  outTradeNo: outTradeNoSchema,
  amountFen: z.number().int().positive().max(10_000_000_000),
  subject: z.string().trim().min(1).max(256),
  channel: z.enum(payChannels),
  notifyUrl: z.url(),
  returnUrl: z.url().optional(),
  clientIp: z.string().min(1).optional(),
  openid: z.string().min(1).optional(),
  /** The gateway stops accepting payment after this instant (the seat hold's end). */
  expiresAt: z.date().optional(),
});
export type CreateOrderInput = z.input<typeof createOrderInputSchema>;

export const refundInputSchema = z
  .object({
    outTradeNo: outTradeNoSchema,
    outRefundNo: z.string().regex(/^[0-9A-Za-z_-]{6,64}$/, "6-64 chars of [0-9A-Za-z_-]"),
    amountFen: z.number().int().positive(),
    totalFen: z.number().int().positive().max(10_000_000_000),
    reason: z.string().trim().max(80),
    notifyUrl: z.url().optional(),
    order: gatewayOrderSchema.optional(),
  })
  .refine((r) => r.amountFen <= r.totalFen, { message: "refund exceeds the order total", path: ["amountFen"] });

/** Input checks shared by every provider: a bad request never reaches a gateway. */
export function validated<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const detail = r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
  throw new GatewayError("INVALID_REQUEST", detail);
}

export interface CreateOrderResult {
  /** Alipay page/WAP: a signed URL to redirect the browser to. */
  payUrl?: string;
  /** Text to render as a QR code (Alipay qr_code, WeChat code_url). */
  codeUrl?: string;
  /** Arguments for WeixinJSBridge `getBrandWCPayRequest` / `wx.requestPayment`, already signed. */
  jsapiParams?: Record<string, string>;
  /** WeChat H5: the URL that opens the WeChat app. */
  h5Url?: string;
  /** PayPal: the order it made, to be kept on the payment row. */
  gatewayOrder?: Omit<GatewayOrder, "captureId">;
}

export interface NotifyInput {
  headers: Headers | Record<string, string | string[] | undefined>;
  /** The body exactly as received: signatures cover these bytes. */
  rawBody: string;
  /** Clock for the timestamp window (tests pass fixed instants). */
  now?: Date;
}

export type RefundStatus = "succeeded" | "abnormal" | "closed";

/** A verified gateway message. Amounts are still to be compared with our own record. */
export interface NotifyEvent {
  gateway: ProviderName;
  /** approved: the payer said yes (PayPal), the merchant still has to capture the money. */
  kind: "paid" | "closed" | "refund" | "approved";
  /** Unique per gateway event: record it under a unique key so a redelivery is a no-op. */
  eventKey: string;
  outTradeNo: string;
  gatewayTradeNo: string;
  /** The order total the gateway reports, fen (unset when the gateway reports another currency). */
  amountFen?: number;
  /** PayPal: the amount in the order's own currency, minor units (compared with the payment row's). */
  currency?: string;
  amountMinor?: number;
  /** Refund notices: our refund number, its status, and the refunded amount (see providers). */
  outRefundNo?: string;
  refundStatus?: RefundStatus;
  refundFen?: number;
}

export interface QueryResult {
  status: "pending" | "paid" | "closed";
  gatewayTradeNo?: string;
  amountFen?: number;
  /** PayPal: what was captured, in the order's currency. */
  currency?: string;
  amountMinor?: number;
}

/** `notifyUrl`: WeChat sends the refund notice there; Alipay uses the order's notify URL. */
export type RefundInput = z.input<typeof refundInputSchema>;

export interface RefundResult {
  /** abnormal: WeChat accepted it but could not pay it out (ABNORMAL), answered on a repeated request. */
  status: "succeeded" | "pending" | "abnormal";
  gatewayRefundId: string;
  /** The gateway's own word for the state (SUCCESS, PROCESSING, fund_change N…). */
  gatewayStatus?: string;
}

export const refundQueryInputSchema = z.object({
  outTradeNo: outTradeNoSchema,
  outRefundNo: z.string().regex(/^[0-9A-Za-z_-]{6,64}$/, "6-64 chars of [0-9A-Za-z_-]"),
  order: gatewayOrderSchema.optional(),
});
export type RefundQueryInput = z.input<typeof refundQueryInputSchema>;

/**
 * What the gateway says about one refund. pending: still being processed; succeeded; abnormal:
 * accepted but not paid out (WeChat ABNORMAL); closed: final without money moving (WeChat CLOSED);
 * not_found: the gateway has no such refund, so it was never accepted and may be requested again
 * with the same out_refund_no.
 */
export interface RefundQueryResult {
  status: "pending" | "succeeded" | "abnormal" | "closed" | "not_found";
  gatewayStatus: string;
  gatewayRefundId?: string;
  amountFen?: number;
}

export const billDateSchema = z.iso.date();

/** One day's trade bill as the gateway serves it: its lines, its totals and the files themselves. */
export interface DownloadedBill {
  lines: BillLine[];
  totals: BillTotals;
  /** What the gateway served, kept in the archive (WeChat keeps its bills three months only). */
  files: { name: string; bytes: Uint8Array }[];
}

export interface PaymentProvider {
  readonly name: ProviderName;
  readonly channels: readonly PayChannel[];
  createOrder(input: CreateOrderInput): Promise<CreateOrderResult>;
  /** Verifies and parses a notify; throws NotifyRejected for anything not proven authentic. */
  parseNotify(input: NotifyInput): Promise<NotifyEvent>;
  /** `order`: what the gateway assigned at creation (PayPal), from the payment row. */
  query(outTradeNo: string, order?: GatewayOrder): Promise<QueryResult>;
  /** Idempotent; an order the gateway never saw counts as closed. Throws ALREADY_PAID. */
  close(outTradeNo: string, order?: GatewayOrder): Promise<void>;
  /** Idempotent per outRefundNo. Throws REFUND_FAILED when the gateway refuses it (final until retried). */
  refund(input: RefundInput): Promise<RefundResult>;
  /** Alipay alipay.trade.fastpay.refund.query / WeChat GET /v3/refund/domestic/refunds/{out_refund_no}. */
  queryRefund(input: RefundQueryInput): Promise<RefundQueryResult>;
  /**
   * The trade bill of a China-time day (YYYY-MM-DD): Alipay bill.downloadurl.query (trade) /
   * WeChat GET /v3/bill/tradebill (ALL, gzip, SHA1 checked). A day without trades is an empty bill.
   */
  downloadBill(date: string): Promise<DownloadedBill>;
  /** The exact answer the gateway expects; anything but success makes it redeliver. */
  notifyAck(ok: boolean, message?: string): Response;
}

export type NotifyRejectReason =
  | "bad_signature"
  | "stale_timestamp"
  | "wrong_app"
  | "wrong_merchant"
  | "bad_ciphertext"
  | "malformed"
  | "unsupported_event"
  | "not_configured";

export class NotifyRejected extends Error {
  constructor(
    readonly reason: NotifyRejectReason,
    message: string,
  ) {
    super(`${reason}: ${message}`);
    this.name = "NotifyRejected";
  }
}

export type GatewayErrorCode =
  "ALREADY_PAID" | "BAD_RESPONSE_SIGNATURE" | "UNSUPPORTED_CHANNEL" | "INVALID_REQUEST" | "REFUND_FAILED" | "GATEWAY_ERROR";

/** A call the gateway refused or answered with something we cannot trust. */
export class GatewayError extends Error {
  constructor(
    readonly code: GatewayErrorCode,
    message: string,
    readonly gatewayCode?: string,
  ) {
    super(message);
    this.name = "GatewayError";
  }
}
