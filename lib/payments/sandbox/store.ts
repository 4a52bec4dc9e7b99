import { randomInt } from "node:crypto";
import { cstDateDigits } from "../china-time";

/** What the sandbox remembers about an order: in memory only, like a gateway you cannot see. */
export type SandboxGatewayName = "alipay" | "wechat";
export type SandboxOrderStatus = "pending" | "paid" | "closed";

/** WeChat's refund states; Alipay shows SUCCESS as REFUND_SUCCESS and the others as "no refund". */
export type SandboxRefundStatus = "PROCESSING" | "SUCCESS" | "ABNORMAL" | "CLOSED";

export interface SandboxRefund {
  outRefundNo: string;
  refundId: string;
  amountFen: number;
  status: SandboxRefundStatus;
  notifyUrl?: string;
  createdAt: Date;
}

/** A notify as first sent, kept so `redeliver` can send the very same message again. */
export interface PreparedNotify {
  gateway: SandboxGatewayName;
  url: string;
  /** Form text (Alipay) or JSON text (WeChat); WeChat re-signs it with a fresh timestamp. */
  body: string;
}

export interface SandboxOrder {
  gateway: SandboxGatewayName;
  outTradeNo: string;
  /** Alipay trade_no / WeChat transaction_id. */
  tradeNo: string;
  amountFen: number;
  subject: string;
  /** Alipay product_code or WeChat trade_type. */
  product: string;
  notifyUrl?: string;
  returnUrl?: string;
  openid?: string;
  /** WeChat JSAPI: the prepay_id the order answered, which the WeixinJSBridge call names. */
  prepayId?: string;
  status: SandboxOrderStatus;
  createdAt: Date;
  paidAt?: Date;
  closedAt?: Date;
  expiresAt?: Date;
  refunds: SandboxRefund[];
  lastNotify?: PreparedNotify;
  /** How the back office treats this order's refunds (the sandbox's control page sets it). */
  refundMode?: SandboxRefundMode;
}

/** normal: settled at once; hold: stay PROCESSING with no notice; refuse: refused for lack of balance. */
export type SandboxRefundMode = "normal" | "hold" | "refuse";

export type NewOrder = Pick<SandboxOrder, "gateway" | "outTradeNo" | "amountFen" | "subject" | "product"> &
  Partial<Pick<SandboxOrder, "notifyUrl" | "returnUrl" | "openid" | "expiresAt">>;

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join("");

export class OrderConflict extends Error {}

export class OrderStore {
  readonly #orders = new Map<string, SandboxOrder>();

  all(): Iterable<SandboxOrder> {
    return this.#orders.values();
  }

  get(outTradeNo: string): SandboxOrder | undefined {
    return this.#orders.get(outTradeNo);
  }

  /**
   * Creates the order, or returns the existing one when the same request comes again (gateways
   * accept a repeated create). A different amount or gateway for a known number is a conflict.
   */
  create(input: NewOrder, now: Date): SandboxOrder {
    const existing = this.#orders.get(input.outTradeNo);
    if (existing) {
      if (existing.gateway !== input.gateway || existing.amountFen !== input.amountFen) {
        throw new OrderConflict(`out_trade_no ${input.outTradeNo} already used with other parameters`);
      }
      return existing;
    }
    const tradeNo = input.gateway === "alipay" ? `${cstDateDigits(now)}22${digits(18)}` : `4200${digits(24)}`;
    const order: SandboxOrder = { ...input, tradeNo, status: "pending", createdAt: now, refunds: [] };
    this.#orders.set(order.outTradeNo, order);
    return order;
  }

  findByPrepayId(prepayId: string): SandboxOrder | undefined {
    for (const order of this.#orders.values()) if (order.prepayId === prepayId) return order;
    return undefined;
  }

  /** Money taken back from the merchant: a CLOSED refund gave it back. */
  refundedFen(order: SandboxOrder): number {
    return order.refunds.reduce((sum, r) => sum + (r.status === "CLOSED" ? 0 : r.amountFen), 0);
  }

  /** A refund by its merchant number (unique per merchant at both gateways). */
  findRefund(outRefundNo: string): { order: SandboxOrder; refund: SandboxRefund } | undefined {
    for (const order of this.#orders.values()) {
      const refund = order.refunds.find((r) => r.outRefundNo === outRefundNo);
      if (refund) return { order, refund };
    }
    return undefined;
  }

  addRefund(order: SandboxOrder, refund: Omit<SandboxRefund, "refundId" | "createdAt">, now: Date): SandboxRefund {
    const created: SandboxRefund = { ...refund, refundId: `50${digits(27)}`, createdAt: now };
    order.refunds.push(created);
    return created;
  }

  /** Expired unpaid orders can no longer be paid, as at the real gateways. */
  payable(order: SandboxOrder, now: Date): boolean {
    return order.status === "pending" && (!order.expiresAt || order.expiresAt.getTime() > now.getTime());
  }
}
