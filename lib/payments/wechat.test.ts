import { createVerify } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wechatSignedHeaders } from "./sandbox/notify";
import { startHarness, strangerKeys, tradeNo, type Harness } from "@/tests/payment-harness";
import { GatewayError, NotifyRejected, type NotifyInput, type PaymentProvider } from "./types";
import { createWechatProvider } from "./wechat";
import { encryptResource, verifySha256Rsa, wechatMessage } from "./wechat-wire";

let h: Harness;
let wechat: PaymentProvider;
const stranger = strangerKeys();
const NOTIFY = "/api/payments/wechat/notify";
const MIN = 60_000;

beforeAll(async () => {
  h = await startHarness();
  wechat = createWechatProvider(h.merchant.wechat);
});
afterAll(() => h.close());

/** `body` as the platform would send it now (or signed with `key` / announced as `serial`). */
function signed(body: string, o: { key?: string; serial?: string; at?: Date } = {}): NotifyInput {
  const w = h.keys.wechat;
  return {
    headers: wechatSignedHeaders(body, o.key ?? w.platformPrivateKey, o.serial ?? w.platformSerial, o.at ?? new Date()),
    rawBody: body,
  };
}

function envelope(resource: object, eventType = "TRANSACTION.SUCCESS", type = "transaction") {
  const encrypted = encryptResource(JSON.stringify(resource), h.keys.wechat.apiV3Key, type);
  return JSON.stringify({ id: `EV-${tradeNo()}`, event_type: eventType, resource_type: "encrypt-resource", resource: encrypted });
}

async function rejection(input: NotifyInput, provider = wechat): Promise<string> {
  const e: unknown = await provider.parseNotify(input).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(NotifyRejected);
  return (e as NotifyRejected).reason;
}

async function paidOrder(amountFen: number) {
  const outTradeNo = tradeNo("N");
  const { codeUrl } = await wechat.createOrder({
    outTradeNo,
    amountFen,
    subject: "瑜伽课 Yoga",
    channel: "qr",
    notifyUrl: h.notifyUrl(NOTIFY),
  });
  expect(codeUrl).toContain(`out_trade_no=${outTradeNo}`);
  expect((await h.gateway.approve(outTradeNo))?.status).toBe(200);
  const got = h.last(NOTIFY);
  return { outTradeNo, input: { headers: got.headers, rawBody: got.rawBody } };
}

describe("WeChat Pay through the sandbox gateway", () => {
  it("Native: code_url → approve → a notify parseNotify verifies as paid; redelivery keeps the event id", async () => {
    const outTradeNo = tradeNo("N");
    await wechat.createOrder({ outTradeNo, amountFen: 8801, subject: "Massage", channel: "qr", notifyUrl: h.notifyUrl(NOTIFY) });
    expect(await wechat.query(outTradeNo)).toEqual({ status: "pending", gatewayTradeNo: undefined, amountFen: 8801 });
    await h.gateway.approve(outTradeNo);
    const got = h.last(NOTIFY);
    const event = await wechat.parseNotify({ headers: got.headers, rawBody: got.rawBody });
    expect(event).toMatchObject({ gateway: "wechat", kind: "paid", outTradeNo, amountFen: 8801 });
    expect(event.eventKey).toMatch(/^wechat:/);
    expect(await wechat.query(outTradeNo)).toEqual({ status: "paid", gatewayTradeNo: event.gatewayTradeNo, amountFen: 8801 });

    await h.gateway.redeliver(outTradeNo);
    const again = h.last(NOTIFY);
    expect(again.rawBody).toBe(got.rawBody);
    expect((await wechat.parseNotify({ headers: again.headers, rawBody: again.rawBody })).eventKey).toBe(event.eventKey);
  });

  it("JSAPI returns bridge params signed with the merchant key; H5 needs the payer IP", async () => {
    const outTradeNo = tradeNo("J");
    const base = { outTradeNo, amountFen: 1, subject: "Deposit", notifyUrl: h.notifyUrl(NOTIFY) };
    const { jsapiParams: p } = await wechat.createOrder({ ...base, channel: "jsapi", openid: "o_customer_1" });
    expect(p?.package).toMatch(/^prepay_id=wx/);
    const message = `${p?.appId}\n${p?.timeStamp}\n${p?.nonceStr}\n${p?.package}\n`;
    expect(
      createVerify("RSA-SHA256")
        .update(message)
        .verify(h.merchant.wechat.certificate, p?.paySign ?? "", "base64"),
    ).toBe(true);

    await expect(wechat.createOrder({ ...base, channel: "jsapi" })).rejects.toMatchObject({ code: "INVALID_REQUEST" });
    await expect(wechat.createOrder({ ...base, channel: "page" })).rejects.toMatchObject({ code: "UNSUPPORTED_CHANNEL" });
    await expect(wechat.createOrder({ ...base, outTradeNo: tradeNo("H"), channel: "mobile_web" })).rejects.toMatchObject({
      code: "INVALID_REQUEST",
    });
    const { h5Url } = await wechat.createOrder({ ...base, outTradeNo: tradeNo("H"), channel: "mobile_web", clientIp: "203.0.113.9" });
    expect(h5Url).toContain("/sandbox-gateway/cashier");
    // Same number, other amount: the gateway refuses it.
    await expect(wechat.createOrder({ ...base, amountFen: 2, channel: "qr" })).rejects.toMatchObject({ gatewayCode: "INVALID_REQUEST" });
  });

  it("decline sends nothing and closes; close is idempotent; unknown orders are pending and closable", async () => {
    const outTradeNo = tradeNo("D");
    await wechat.createOrder({ outTradeNo, amountFen: 300, subject: "Class", channel: "qr", notifyUrl: h.notifyUrl(NOTIFY) });
    expect(await h.gateway.decline(outTradeNo)).toBeNull();
    expect((await wechat.query(outTradeNo)).status).toBe("closed");
    await wechat.close(outTradeNo);
    expect(await wechat.query("NEVER_SEEN_W1")).toEqual({ status: "pending" });
    await expect(wechat.close("NEVER_SEEN_W1")).resolves.toBeUndefined();

    const open = tradeNo("D");
    await wechat.createOrder({ outTradeNo: open, amountFen: 300, subject: "Class", channel: "qr", notifyUrl: h.notifyUrl(NOTIFY) });
    await wechat.close(open);
    expect((await wechat.query(open)).status).toBe("closed");
    await expect(h.gateway.approve(open)).rejects.toThrow(/closed/);
  });

  it("close of a paid order is ALREADY_PAID; a refund goes PROCESSING → REFUND.SUCCESS notify", async () => {
    const { outTradeNo } = await paidOrder(99_999_999);
    await expect(wechat.close(outTradeNo)).rejects.toMatchObject({ code: "ALREADY_PAID" });
    const refund = {
      outTradeNo,
      outRefundNo: `${outTradeNo}R1`,
      amountFen: 33_333_333,
      totalFen: 99_999_999,
      reason: "取消",
      notifyUrl: h.notifyUrl(NOTIFY),
    };
    const r = await wechat.refund(refund);
    expect(r.status).toBe("pending");
    await h.gateway.idle();
    const got = h.last(NOTIFY);
    expect(await wechat.parseNotify({ headers: got.headers, rawBody: got.rawBody })).toMatchObject({
      kind: "refund",
      outTradeNo,
      outRefundNo: refund.outRefundNo,
      refundStatus: "succeeded",
      refundFen: 33_333_333,
      amountFen: 99_999_999,
    });
    expect(await wechat.refund(refund)).toEqual({ status: "succeeded", gatewayRefundId: r.gatewayRefundId, gatewayStatus: "SUCCESS" });
    // GET /v3/refund/domestic/refunds/{out_refund_no}, signed like every answer.
    expect(await wechat.queryRefund(refund)).toEqual({
      status: "succeeded",
      gatewayStatus: "SUCCESS",
      gatewayRefundId: r.gatewayRefundId,
      amountFen: 33_333_333,
    });
    expect(await wechat.queryRefund({ outTradeNo, outRefundNo: `${outTradeNo}R9` })).toEqual({
      status: "not_found",
      gatewayStatus: "RESOURCE_NOT_EXISTS",
    });
    await expect(wechat.refund({ ...refund, outRefundNo: `${outTradeNo}R2`, amountFen: 66_666_667 })).rejects.toMatchObject({
      code: "REFUND_FAILED",
      gatewayCode: "NOT_ENOUGH",
    });
    expect((await wechat.query(outTradeNo)).status).toBe("paid"); // trade_state REFUND
  });

  it("rejects forged, tampered, stale and mismatched notifies", async () => {
    const { input } = await paidOrder(8_800);
    const now = Date.now();
    expect(await rejection(signed(input.rawBody, { key: stranger.privateKey }))).toBe("bad_signature");
    expect(await rejection(signed(input.rawBody, { serial: "PUB_KEY_ID_0000" }))).toBe("bad_signature");
    expect(await rejection({ ...input, rawBody: input.rawBody.replace('"id":"', '"id":"X') })).toBe("bad_signature");
    expect(await rejection({ ...input, now: new Date(now + 6 * MIN) })).toBe("stale_timestamp");
    expect(await rejection({ ...input, now: new Date(now - 6 * MIN) })).toBe("stale_timestamp");
    expect(await wechat.parseNotify({ ...input, now: new Date(now + 4 * MIN) })).toMatchObject({ kind: "paid" });
    expect(await rejection({ headers: {}, rawBody: input.rawBody })).toBe("malformed");

    const body = JSON.parse(input.rawBody) as { resource: { ciphertext: string } };
    const bytes = Buffer.from(body.resource.ciphertext, "base64");
    bytes[3] = (bytes[3] ?? 0) ^ 0x01;
    body.resource.ciphertext = bytes.toString("base64");
    expect(await rejection(signed(JSON.stringify(body)))).toBe("bad_ciphertext");
    const otherKey = createWechatProvider({ ...h.merchant.wechat, apiV3Key: "0123456789abcdef0123456789abcdef" });
    expect(await rejection(input, otherKey)).toBe("bad_ciphertext");

    const tx = {
      appid: h.keys.wechat.appId,
      mchid: h.keys.wechat.mchId,
      out_trade_no: "X123456",
      transaction_id: "4200",
      trade_state: "SUCCESS",
      amount: { total: 100, currency: "CNY" },
    };
    expect(await wechat.parseNotify(signed(envelope(tx)))).toMatchObject({ kind: "paid", amountFen: 100 });
    expect(await rejection(signed(envelope({ ...tx, appid: "wx0000000000000000" })))).toBe("wrong_app");
    expect(await rejection(signed(envelope({ ...tx, mchid: "1900000000" })))).toBe("wrong_merchant");
    expect(await rejection(signed(envelope({ ...tx, amount: { total: "100" } })))).toBe("malformed");
    expect(await rejection(signed(envelope(tx, "TRANSACTION.WEIRD")))).toBe("unsupported_event");
    expect(await rejection(signed("not json"))).toBe("malformed");
    expect(await rejection(signed(JSON.stringify({ id: "1", event_type: "TRANSACTION.SUCCESS" })))).toBe("malformed");
  });

  it("answers notifies with 204, or an error status with {code,message}", async () => {
    expect(wechat.notifyAck(true).status).toBe(204);
    const no = wechat.notifyAck(false, "signature");
    expect(no.status).toBe(500);
    expect(await no.json()).toEqual({ code: "FAIL", message: "signature" });
  });
});

describe("WeChat Pay API responses and requests are signed", () => {
  const fake = (key: string | null) =>
    h.serve(async () => {
      const body = JSON.stringify({ trade_state: "SUCCESS", transaction_id: "4200001", amount: { total: 100 } });
      const headers = key ? wechatSignedHeaders(body, key, h.keys.wechat.platformSerial, new Date()) : {};
      return new Response(body, { headers: { ...headers, "content-type": "application/json" } });
    });

  it("rejects a response signed by another key, unsigned, or stale; accepts the genuine one", async () => {
    for (const key of [stranger.privateKey, null]) {
      const p = createWechatProvider({ ...h.merchant.wechat, baseUrl: (await fake(key)).origin });
      await expect(p.query("ANY_ORDER_W")).rejects.toMatchObject({ code: "BAD_RESPONSE_SIGNATURE" });
    }
    const genuine = (await fake(h.keys.wechat.platformPrivateKey)).origin;
    const ok = createWechatProvider({ ...h.merchant.wechat, baseUrl: genuine });
    expect(await ok.query("ANY_ORDER_W")).toEqual({ status: "paid", gatewayTradeNo: "4200001", amountFen: 100 });
    const late = createWechatProvider({ ...h.merchant.wechat, baseUrl: genuine, clock: () => new Date(Date.now() + 10 * MIN) });
    const e = await late.query("ANY_ORDER_W").catch((err: unknown) => err);
    expect(e).toBeInstanceOf(GatewayError);
    expect((e as GatewayError).message).toContain("stale_timestamp");
  });

  it("the sandbox refuses a request without a valid merchant signature, and signs the refusal", async () => {
    const res = await fetch(`${h.merchant.wechat.baseUrl}/v3/pay/transactions/native`, {
      method: "POST",
      headers: {
        authorization: `WECHATPAY2-SHA256-RSA2048 mchid="${h.keys.wechat.mchId}",nonce_str="x",timestamp="${Math.floor(Date.now() / 1000)}",serial_no="${h.keys.wechat.merchantSerial}",signature="AAAA"`,
        "content-type": "application/json",
      },
      body: "{}",
    });
    expect(res.status).toBe(401);
    const text = await res.text();
    const message = wechatMessage(res.headers.get("wechatpay-timestamp") ?? "", res.headers.get("wechatpay-nonce") ?? "", text);
    expect(verifySha256Rsa(message, res.headers.get("wechatpay-signature") ?? "", h.keys.wechat.platformPublicKey)).toBe(true);
    expect(JSON.parse(text)).toMatchObject({ code: "SIGN_ERROR" });
  });
});
