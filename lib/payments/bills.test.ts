import { gunzipSync } from "node:zlib";
import { unzipSync, zipSync } from "fflate";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, tradeNo, type Harness } from "@/tests/payment-harness";
import { createAlipayProvider } from "./alipay";
import { BillFormatError, parseWechatTradeBill, writeAlipayTradeBill, parseAlipayTradeBill, yuanToFen } from "./bill-wire";
import { formatAlipayTime } from "./china-time";
import type { PaymentProvider } from "./types";
import { createWechatProvider } from "./wechat";

let h: Harness;
const providers: Record<"alipay" | "wechat", PaymentProvider> = {} as never;
beforeAll(async () => {
  h = await startHarness();
  providers.alipay = createAlipayProvider(h.merchant.alipay);
  providers.wechat = createWechatProvider(h.merchant.wechat);
});
afterAll(() => h.close());

const today = () => formatAlipayTime(new Date()).slice(0, 10);

describe("amounts in bills", () => {
  it("reads signed yuan with up to six decimals without floats, half up on the third", () => {
    expect(yuanToFen("0.29")).toBe(29);
    expect(yuanToFen("-50.00")).toBe(-5000);
    expect(yuanToFen("0.00600")).toBe(1);
    expect(yuanToFen("0.00400")).toBe(0);
    expect(yuanToFen("1234.5")).toBe(123450);
    expect(() => yuanToFen("1e3")).toThrow(BillFormatError);
  });
});

describe.each(["alipay", "wechat"] as const)("%s bills from the sandbox gateway", (gateway) => {
  it("lists the day's payments and refunds with fees, in the gateway's file format", async () => {
    const p = providers[gateway];
    const paid = tradeNo("B");
    const refunded = tradeNo("B");
    const unpaid = tradeNo("B");
    const channel = "qr" as const;
    for (const [no, fen] of [
      [paid, 8800],
      [refunded, 5000],
      [unpaid, 100],
    ] as const) {
      await p.createOrder({ outTradeNo: no, amountFen: fen, subject: "剪发, 洗吹", channel, notifyUrl: h.notifyUrl(`/${gateway}`) });
    }
    await h.gateway.approve(paid);
    await h.gateway.approve(refunded);
    await p.refund({ outTradeNo: refunded, outRefundNo: `${refunded}R1`, amountFen: 2000, totalFen: 5000, reason: "cancel" });
    await h.gateway.idle();

    const bill = await p.downloadBill(today());
    const mine = bill.lines.filter((l) => [paid, refunded, unpaid].includes(l.outTradeNo));
    expect(mine.map((l) => [l.kind, l.outTradeNo, l.amountFen, l.feeFen, l.outRefundNo ?? null])).toEqual([
      ["payment", paid, 8800, 53, null],
      ["payment", refunded, 5000, 30, null],
      ["refund", refunded, 2000, 12, `${refunded}R1`],
    ]);
    expect(bill.lines.every((l) => l.gatewayTradeNo === h.gateway.order(l.outTradeNo)?.tradeNo)).toBe(true);
    expect(bill.totals.paidFen).toBe(bill.lines.filter((l) => l.kind === "payment").reduce((s, l) => s + l.amountFen, 0));

    // The archived file is the gateway's own: a GBK zip from Alipay, a gzip with backticks from WeChat.
    const file = bill.files[0]!.bytes;
    if (gateway === "alipay") {
      const texts = Object.values(unzipSync(file)).map((b) => iconv.decode(Buffer.from(b), "gbk"));
      expect(texts.some((t) => t.includes("#支付宝业务明细查询") && t.includes(paid))).toBe(true);
    } else {
      const text = gunzipSync(file).toString("utf8");
      expect(text).toContain(`\`${paid}`);
      expect(bill.files.map((f) => f.name)).toEqual([`wechat-trade-${today()}.csv.gz`, `wechat-fundflow-${today()}.csv.gz`]);
    }
  });

  it("a day in the future has no bill: an empty one, not an error", async () => {
    const bill = await providers[gateway].downloadBill("2999-01-01");
    expect(bill.lines).toEqual([]);
  });

  it("refuses a malformed date before calling the gateway", async () => {
    await expect(providers[gateway].downloadBill("2026-13-45")).rejects.toMatchObject({ code: "INVALID_REQUEST" });
  });
});

describe("a bill that does not add up is refused", () => {
  it("Alipay: footer totals against the rows", () => {
    const line = {
      kind: "payment" as const,
      outTradeNo: "T1",
      gatewayTradeNo: "G1",
      amountFen: 100,
      feeFen: 1,
      at: "2026-12-02 10:00:00",
      subject: "x",
      orderFen: 100,
    };
    const zip = writeAlipayTradeBill({ pid: "2088", date: "2026-12-02", lines: [line], exportedAt: new Date() });
    expect(parseAlipayTradeBill(zip).totals.paidFen).toBe(100);
    const files = unzipSync(zip);
    const [name, bytes] = Object.entries(files).find(([, b]) => iconv.decode(Buffer.from(b), "gbk").includes("业务明细列表结束"))!;
    const cut = iconv.decode(Buffer.from(bytes), "gbk").replace(/^G1.*$/m, "");
    expect(() => parseAlipayTradeBill(zipSync({ [name]: new Uint8Array(iconv.encode(cut, "gbk")) }))).toThrow(BillFormatError);
  });

  it("WeChat: summary against the rows", () => {
    const text = [
      "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注",
      "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额",
      "`1,`1.00,`0.00,`0.00,`0.00000,`1.00,`0.00",
    ].join("\r\n");
    expect(() => parseWechatTradeBill(text)).toThrow(BillFormatError);
  });
});
