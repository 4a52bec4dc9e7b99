import { createHash, randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { sandboxFee, writeAlipayTradeBill, writeWechatFundFlowBill, writeWechatTradeBill, type BillLine } from "../bill-wire";
import { formatAlipayTime } from "../china-time";
import type { SandboxContext } from "./context";
import type { SandboxGatewayName, SandboxOrder } from "./store";

/**
 * The sandbox's bills (对账单), made from what it remembers: an order paid on the day is a trade
 * line, a refund that succeeded on the day a refund line, with a 0.6% fee (given back pro rata on
 * refunds). Unlike the real gateways it also serves today's bill so far (tests and the demo run
 * within one day). Files are fetched once by a token, as the real download addresses are.
 */
type Line = BillLine & { subject: string; orderFen: number; refundId?: string; openid?: string; product: string };

const cstDay = (d: Date) => formatAlipayTime(d).slice(0, 10);

export function billLines(orders: Iterable<SandboxOrder>, gateway: SandboxGatewayName, date: string): Line[] {
  const lines: Line[] = [];
  for (const o of orders) {
    if (o.gateway !== gateway || !o.paidAt) continue;
    const common = {
      outTradeNo: o.outTradeNo,
      gatewayTradeNo: o.tradeNo,
      subject: o.subject,
      orderFen: o.amountFen,
      product: o.product,
      openid: o.openid,
    };
    if (cstDay(o.paidAt) === date) {
      lines.push({ ...common, kind: "payment", amountFen: o.amountFen, feeFen: sandboxFee(o.amountFen), at: formatAlipayTime(o.paidAt) });
    }
    for (const r of o.refunds) {
      if (r.status !== "SUCCESS" || cstDay(r.createdAt) !== date) continue;
      lines.push({
        ...common,
        kind: "refund",
        outRefundNo: r.outRefundNo,
        refundId: r.refundId,
        amountFen: r.amountFen,
        feeFen: sandboxFee(r.amountFen),
        at: formatAlipayTime(r.createdAt),
      });
    }
  }
  return lines.sort((a, b) => a.at.localeCompare(b.at));
}

/** Files waiting to be downloaded, by token. */
export class BillFiles {
  readonly #files = new Map<string, Uint8Array>();

  put(bytes: Uint8Array): string {
    const token = randomBytes(16).toString("hex");
    this.#files.set(token, bytes);
    return token;
  }

  take(token: string): Uint8Array | undefined {
    const bytes = this.#files.get(token);
    this.#files.delete(token);
    return bytes;
  }
}

export function alipayBill(ctx: SandboxContext, date: string): Uint8Array {
  return writeAlipayTradeBill({ pid: "2088000000000000", date, lines: billLines(ctx.store.all(), "alipay", date), exportedAt: ctx.now() });
}

/** WeChat's answer to a bill application: the gzip under a token, and the SHA1 of the plain bill. */
export function wechatBill(ctx: SandboxContext, kind: "trade" | "fundflow", date: string): { token: string; sha1: string } {
  const lines = billLines(ctx.store.all(), "wechat", date);
  const text =
    kind === "trade"
      ? writeWechatTradeBill({ appId: ctx.keys.wechat.appId, mchId: ctx.keys.wechat.mchId, lines })
      : writeWechatFundFlowBill(lines, 0);
  const plain = Buffer.from(text, "utf8");
  return { token: ctx.bills.put(new Uint8Array(gzipSync(plain))), sha1: createHash("sha1").update(plain).digest("hex") };
}
