import { AlipaySdk } from "alipay-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAlipayProvider } from "./alipay";
import { parseForm, rsa2Sign, signAlipayNotify, signedAlipayResponse } from "./alipay-wire";
import { startHarness, strangerKeys, tradeNo, type Harness } from "@/tests/payment-harness";
import { GatewayError, NotifyRejected, type PaymentProvider } from "./types";

let h: Harness;
let alipay: PaymentProvider;
const stranger = strangerKeys();

beforeAll(async () => {
  h = await startHarness();
  alipay = createAlipayProvider(h.merchant.alipay);
});
afterAll(() => h.close());

const NOTIFY = "/api/payments/alipay/notify";
const notifyInput = (rawBody: string) => ({ headers: {}, rawBody });

/** Re-signs form fields as "Alipay" would (or with another key), after the test edits them. */
function resign(rawBody: string, edit: Record<string, string>, privateKey = h.keys.alipay.alipayPrivateKey) {
  const { sign: _sign, sign_type: _type, ...fields } = parseForm(rawBody) ?? {};
  return new URLSearchParams(signAlipayNotify({ ...fields, ...edit }, privateKey)).toString();
}

async function rejection(rawBody: string): Promise<string> {
  const e: unknown = await alipay.parseNotify(notifyInput(rawBody)).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(NotifyRejected);
  return (e as NotifyRejected).reason;
}

async function paidOrder(amountFen: number, subject = "Haircut 剪发") {
  const outTradeNo = tradeNo("A");
  const { codeUrl } = await alipay.createOrder({ outTradeNo, amountFen, subject, channel: "qr", notifyUrl: h.notifyUrl(NOTIFY) });
  expect(codeUrl).toContain("/sandbox-gateway/cashier?out_trade_no=");
  const delivery = await h.gateway.approve(outTradeNo);
  expect(delivery?.status).toBe(200);
  return { outTradeNo, raw: h.last(NOTIFY).rawBody };
}

describe("Alipay through the sandbox gateway", () => {
  it("page pay: signed URL → cashier → approve → a notify parseNotify verifies as paid", async () => {
    const outTradeNo = tradeNo("A");
    const { payUrl } = await alipay.createOrder({
      outTradeNo,
      amountFen: 8801,
      subject: "100% 满意 & 预约",
      channel: "page",
      notifyUrl: h.notifyUrl(NOTIFY),
      returnUrl: "https://shop.example/return",
    });
    expect(payUrl).toMatch(/alipay\.trade\.page\.pay/);
    expect(await alipay.query(outTradeNo)).toEqual({ status: "pending" }); // not opened yet
    const cashier = await fetch(payUrl ?? "", { redirect: "manual" });
    expect(cashier.status).toBe(303);
    expect(cashier.headers.get("location")).toContain(`out_trade_no=${outTradeNo}`);

    await h.gateway.approve(outTradeNo);
    // A "%" in the subject: checkNotifySign would throw URIError here; V2 does not.
    const event = await alipay.parseNotify(notifyInput(h.last(NOTIFY).rawBody));
    expect(event).toMatchObject({ gateway: "alipay", kind: "paid", outTradeNo, amountFen: 8801 });
    const q = await alipay.query(outTradeNo);
    expect(q).toEqual({ status: "paid", gatewayTradeNo: event.gatewayTradeNo, amountFen: 8801 });

    const again = await h.gateway.redeliver(outTradeNo);
    expect(again.status).toBe(200);
    expect((await alipay.parseNotify(notifyInput(h.last(NOTIFY).rawBody))).eventKey).toBe(event.eventKey);
  });

  it("WAP pay URL and the cashier's signed return to return_url", async () => {
    const outTradeNo = tradeNo("W");
    const { payUrl } = await alipay.createOrder({
      outTradeNo,
      amountFen: 1,
      subject: "Deposit",
      channel: "mobile_web",
      notifyUrl: h.notifyUrl(NOTIFY),
      returnUrl: "https://shop.example/return",
    });
    expect(payUrl).toMatch(/alipay\.trade\.wap\.pay/);
    await fetch(payUrl ?? "", { redirect: "manual" });
    const res = await fetch(`${h.gateway.baseUrl}/cashier/approve`, {
      method: "POST",
      body: new URLSearchParams({ out_trade_no: outTradeNo }),
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    const back = new URL(res.headers.get("location") ?? "");
    const sdk = new AlipaySdk({
      appId: "x",
      privateKey: stranger.privateKey,
      keyType: "PKCS8",
      alipayPublicKey: h.keys.alipay.alipayPublicKey,
    });
    expect(sdk.checkNotifySignV2(Object.fromEntries(back.searchParams))).toBe(true);
    expect(back.searchParams.get("total_amount")).toBe("0.01");
  });

  it("decline sends TRADE_CLOSED → closed; close is then a no-op; unknown orders are pending and closable", async () => {
    const outTradeNo = tradeNo("C");
    await alipay.createOrder({ outTradeNo, amountFen: 500, subject: "Class", channel: "qr", notifyUrl: h.notifyUrl(NOTIFY) });
    await h.gateway.decline(outTradeNo);
    expect(await alipay.parseNotify(notifyInput(h.last(NOTIFY).rawBody))).toMatchObject({ kind: "closed", outTradeNo });
    expect((await alipay.query(outTradeNo)).status).toBe("closed");
    await expect(alipay.close(outTradeNo)).resolves.toBeUndefined();
    expect(await alipay.query("NEVER_SEEN_1")).toEqual({ status: "pending" });
    await expect(alipay.close("NEVER_SEEN_1")).resolves.toBeUndefined();

    const open = tradeNo("C");
    await alipay.createOrder({ outTradeNo: open, amountFen: 500, subject: "Class", channel: "qr", notifyUrl: h.notifyUrl(NOTIFY) });
    await alipay.close(open);
    expect((await alipay.query(open)).status).toBe("closed");
    await expect(h.gateway.approve(open)).rejects.toThrow(/closed/);
  });

  it("close of a paid order is ALREADY_PAID; refunds succeed, notify as refund, and never exceed the total", async () => {
    const { outTradeNo } = await paidOrder(9_999);
    await expect(alipay.close(outTradeNo)).rejects.toMatchObject({ code: "ALREADY_PAID" });

    const refund = { outTradeNo, outRefundNo: `${outTradeNo}R1`, amountFen: 3_333, totalFen: 9_999, reason: "cancelled" };
    const r = await alipay.refund(refund);
    expect(r.status).toBe("succeeded");
    await h.gateway.idle();
    const event = await alipay.parseNotify(notifyInput(h.last(NOTIFY).rawBody));
    expect(event).toMatchObject({
      kind: "refund",
      outRefundNo: refund.outRefundNo,
      refundStatus: "succeeded",
      refundFen: 3_333,
      amountFen: 9_999,
    });
    // Same refund number: no second refund; Alipay says so with fund_change "N", the query confirms it.
    expect(await alipay.refund(refund)).toEqual({ status: "pending", gatewayRefundId: r.gatewayRefundId, gatewayStatus: "fund_change N" });
    expect(await alipay.queryRefund(refund)).toEqual({
      status: "succeeded",
      gatewayStatus: "REFUND_SUCCESS",
      gatewayRefundId: r.gatewayRefundId,
      amountFen: 3_333,
    });
    expect(await alipay.queryRefund({ outTradeNo, outRefundNo: `${outTradeNo}R9` })).toMatchObject({ status: "not_found" });
    expect(await alipay.queryRefund({ outTradeNo: `${outTradeNo}X`, outRefundNo: `${outTradeNo}R9` })).toMatchObject({
      status: "not_found",
      gatewayStatus: "ACQ.TRADE_NOT_EXIST",
    });

    await expect(alipay.refund({ ...refund, outRefundNo: `${outTradeNo}R2`, amountFen: 6_667 })).rejects.toMatchObject({
      code: "REFUND_FAILED",
      gatewayCode: "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL",
    });
    await expect(alipay.refund({ ...refund, amountFen: 10_000 })).rejects.toMatchObject({ code: "INVALID_REQUEST" });
    await alipay.refund({ ...refund, outRefundNo: `${outTradeNo}R3`, amountFen: 6_666 });
    await h.gateway.idle();
    // A full refund is announced as TRADE_CLOSED plus refund fields: still a refund, not "closed".
    expect(await alipay.parseNotify(notifyInput(h.last(NOTIFY).rawBody))).toMatchObject({ kind: "refund", refundFen: 9_999 });
  });

  it("rejects forged, tampered and mismatched notifies", async () => {
    const { raw } = await paidOrder(8_800);
    expect(await rejection(resign(raw, {}, stranger.privateKey))).toBe("bad_signature");
    expect(await rejection(raw.replace("total_amount=88.00", "total_amount=0.01"))).toBe("bad_signature");
    expect(await rejection(raw.replace(/sign=[^&]+/, "sign="))).toBe("malformed");
    expect(await rejection(raw.replace("sign_type=RSA2", "sign_type=RSA"))).toBe("bad_signature");
    expect(await rejection(resign(raw, { app_id: "2021000000000000" }))).toBe("wrong_app");
    expect(await rejection(resign(raw, { seller_id: "2088000000000000" }))).toBe("wrong_merchant");
    expect(await rejection(resign(raw, { total_amount: "88.001" }))).toBe("malformed");
    expect(await rejection(resign(raw, { out_trade_no: "" }))).toBe("malformed");
    expect(await rejection(resign(raw, { trade_status: "WAIT_BUYER_PAY" }))).toBe("unsupported_event");
    expect(await rejection(`${raw}&app_id=x`)).toBe("malformed");
    expect(await rejection("")).toBe("malformed");
  });

  it("answers notifies with the exact text Alipay expects", async () => {
    expect(await alipay.notifyAck(true).text()).toBe("success");
    expect(await alipay.notifyAck(false).text()).toBe("failure");
  });
});

describe("Alipay API responses and requests are signed", () => {
  const fakeGateway = (sign: (inner: string) => string | null) =>
    h.serve(async (req) => {
      const method = new URL(req.url).searchParams.get("method") ?? "";
      const inner = JSON.stringify({ code: "10000", msg: "Success", trade_status: "TRADE_SUCCESS", total_amount: "1.00", trade_no: "1" });
      const key = `${method.replaceAll(".", "_")}_response`;
      const signature = sign(inner);
      return new Response(signature === null ? `{"${key}":${inner}}` : `{"${key}":${inner},"sign":"${signature}"}`);
    });

  it("rejects a response signed by another key, or not signed", async () => {
    for (const sign of [(t: string) => rsa2Sign(t, stranger.privateKey), () => null]) {
      const fake = await fakeGateway(sign);
      const p = createAlipayProvider({ ...h.merchant.alipay, gateway: `${fake.origin}/gateway.do` });
      await expect(p.query("ANY_ORDER_1")).rejects.toMatchObject({ code: "BAD_RESPONSE_SIGNATURE" });
    }
    const genuine = await fakeGateway((t) => rsa2Sign(t, h.keys.alipay.alipayPrivateKey));
    const p = createAlipayProvider({ ...h.merchant.alipay, gateway: `${genuine.origin}/gateway.do` });
    expect(await p.query("ANY_ORDER_1")).toMatchObject({ status: "paid", amountFen: 100 });
    expect(signedAlipayResponse("alipay.trade.query", { a: 1 }, stranger.privateKey)).toMatch(
      /^\{"alipay_trade_query_response":\{"a":1\},"sign":"/,
    );
  });

  it("the sandbox refuses a request signed with a key it does not know", async () => {
    const p = createAlipayProvider({ ...h.merchant.alipay, privateKey: stranger.privateKey });
    const e = await p.query("ANY_ORDER_1").catch((err: unknown) => err);
    expect(e).toBeInstanceOf(GatewayError);
    expect((e as GatewayError).gatewayCode).toBe("isv.invalid-signature");
  });

  it("signs timestamps in UTC+8 even when the server runs in UTC (the SDK alone would be 8 h off)", async () => {
    const saved = process.env.TZ;
    process.env.TZ = "UTC";
    try {
      expect(new Date(Date.UTC(2026, 0, 1, 12)).getHours()).toBe(12);
      expect((await alipay.query("ANY_ORDER_2")).status).toBe("pending");
      const c = h.merchant.alipay;
      const raw = new AlipaySdk({
        appId: c.appId,
        privateKey: c.privateKey,
        keyType: "PKCS8",
        alipayPublicKey: c.alipayPublicKey,
        gateway: c.gateway,
        camelcase: false,
      });
      const r = await raw.exec("alipay.trade.query", { bizContent: { out_trade_no: "ANY_ORDER_2" } });
      expect(r.sub_code).toBe("isv.invalid-timestamp");
    } finally {
      process.env.TZ = saved;
    }
  });
});
