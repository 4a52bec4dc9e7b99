import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { AlipaySdk } from "alipay-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env, type Env } from "@/lib/env";
import { createAlipayProvider } from "../alipay";
import { formatAlipayTime } from "../china-time";
import { configStatus } from "@/lib/dashboard/config-status";
import { gatewayAccounts, getProvider, paymentConfigFromEnv, PaymentConfigError } from "../providers";
import { startHarness, tradeNo, type Harness } from "@/tests/payment-harness";
import { createWechatProvider } from "../wechat";
import { sandboxAllowed } from "./allowed";
import { createSandboxGateway, SandboxError } from "./gateway";
import { startSandboxServer } from "@/tests/serve-fetch";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const NO_KEYS = Object.fromEntries(
  Object.keys(env)
    .filter((k) => k.startsWith("ALIPAY_") || k.startsWith("WECHATPAY_"))
    .map((k) => [k, undefined]),
);
const testEnv = (over: Partial<Env>): Env => ({ ...env, ...NO_KEYS, NODE_ENV: "test", SANDBOX_GATEWAY_ENABLED: undefined, ...over });

describe("sandbox gateway guard", () => {
  it("is one rule: the payment accounts and the admin's status page agree with the gateway", () => {
    for (const [flag, on] of [
      ["0", false],
      [undefined, false],
      ["yes", true],
    ] as const) {
      const e = testEnv({ NODE_ENV: "production", SANDBOX_GATEWAY_ENABLED: flag });
      expect(sandboxAllowed(e)).toBe(on);
      expect(gatewayAccounts(e).some((a) => a.name === "sandbox")).toBe(on);
      expect(configStatus(e).payments.map((p) => p.state)).toEqual(on ? ["embedded", "embedded"] : ["not_configured", "not_configured"]);
    }
  });

  it("never runs in production unless explicitly enabled", async () => {
    expect(sandboxAllowed({ NODE_ENV: "development" })).toBe(true);
    expect(sandboxAllowed({ NODE_ENV: "test" })).toBe(true);
    expect(sandboxAllowed({ NODE_ENV: "production" })).toBe(false);
    expect(sandboxAllowed({ NODE_ENV: "production", SANDBOX_GATEWAY_ENABLED: "0" })).toBe(false);
    for (const on of ["1", "true", "YES", "on"]) expect(sandboxAllowed({ NODE_ENV: "production", SANDBOX_GATEWAY_ENABLED: on })).toBe(true);
    const options = { dataDir: h.dataDir, baseUrl: "http://127.0.0.1:1/sandbox-gateway" };
    expect(() => createSandboxGateway({ ...options, env: { NODE_ENV: "production" } })).toThrow(SandboxError);
    await expect(startSandboxServer({ dataDir: h.dataDir, env: { NODE_ENV: "production" } })).rejects.toThrow(SandboxError);
    expect(createSandboxGateway({ ...options, env: { NODE_ENV: "production", SANDBOX_GATEWAY_ENABLED: "1" } }).baseUrl).toBe(
      options.baseUrl,
    );
  });

  it("keeps its generated keys as private PEM files under the data dir", () => {
    const dir = path.join(h.dataDir, "keys");
    const ids = JSON.parse(readFileSync(path.join(dir, "ids.json"), "utf8")) as Record<string, string>;
    expect(ids.alipayAppId).toBe(h.merchant.alipay.appId);
    expect(ids.wechatPlatformSerial).toMatch(/^PUB_KEY_ID_\d+$/);
    expect(readFileSync(path.join(dir, "alipay-app-private.pem"), "utf8")).toContain("BEGIN PRIVATE KEY");
    expect(statSync(path.join(dir, "wechat-platform-private.pem")).mode & 0o077).toBe(0);
    // A second gateway on the same folder speaks with the same keys.
    const again = createSandboxGateway({ dataDir: h.dataDir, baseUrl: "http://127.0.0.1:2/x", env: { NODE_ENV: "test" } });
    expect(again.merchantConfig.wechat.platformPublicKey).toBe(h.merchant.wechat.platformPublicKey);
  });
});

describe("sandbox cashier and routing", () => {
  it("renders the cashier, approves from the form, and notifies", async () => {
    const wechat = createWechatProvider(h.merchant.wechat);
    const outTradeNo = tradeNo("K");
    const { codeUrl } = await wechat.createOrder({
      outTradeNo,
      amountFen: 8801,
      subject: "<Yoga>",
      channel: "qr",
      notifyUrl: h.notifyUrl("/wx"),
    });
    const page = await fetch(codeUrl ?? "");
    const html = await page.text();
    expect(html).toContain("¥88.01");
    expect(html).toContain("&lt;Yoga&gt;");
    expect(html).toContain('action="cashier/approve"');
    const res = await fetch(new URL("cashier/approve", codeUrl), {
      method: "POST",
      body: new URLSearchParams({ out_trade_no: outTradeNo }),
    });
    expect(await res.text()).toContain("HTTP 200");
    expect(await wechat.parseNotify({ headers: h.last("/wx").headers, rawBody: h.last("/wx").rawBody })).toMatchObject({
      kind: "paid",
      amountFen: 8801,
    });
    const twice = await fetch(new URL("cashier/approve", codeUrl), {
      method: "POST",
      body: new URLSearchParams({ out_trade_no: outTradeNo }),
    });
    expect(twice.status).toBe(409);
    expect((await fetch(`${h.gateway.baseUrl}/cashier?out_trade_no=nope`)).status).toBe(404);
    expect((await fetch(`${h.sandboxOrigin}/elsewhere`)).status).toBe(404);
  });

  it("accepts the signed page-pay form POST and refuses a tampered pay URL", async () => {
    const c = h.merchant.alipay;
    const sdk = new AlipaySdk({ appId: c.appId, privateKey: c.privateKey, keyType: "PKCS8", gateway: c.gateway });
    const outTradeNo = tradeNo("F");
    const bizContent = { out_trade_no: outTradeNo, total_amount: "88.01", subject: "Form", product_code: "FAST_INSTANT_TRADE_PAY" };
    const html = sdk.pageExecute("alipay.trade.page.pay", "POST", {
      bizContent,
      notifyUrl: h.notifyUrl("/a"),
      timestamp: formatAlipayTime(new Date()),
    });
    const action = /action="([^"]+)"/.exec(html)?.[1] ?? "";
    const fields = [...html.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1] ?? "", (m[2] ?? "").replaceAll("&quot;", '"')]);
    const posted = await fetch(action, { method: "POST", body: new URLSearchParams(fields), redirect: "manual" });
    expect(posted.status).toBe(303);
    expect(h.gateway.order(outTradeNo)?.amountFen).toBe(8801);

    const { payUrl } = await createAlipayProvider(c).createOrder({
      outTradeNo: tradeNo("F"),
      amountFen: 8801,
      subject: "URL",
      channel: "page",
      notifyUrl: h.notifyUrl("/a"),
    });
    const url = new URL(payUrl ?? "");
    url.searchParams.set("biz_content", (url.searchParams.get("biz_content") ?? "").replace("88.01", "0.01"));
    const tampered = await fetch(url, { redirect: "manual" });
    expect(tampered.status).toBe(400);
    expect(await tampered.text()).toContain("isv.invalid-signature");
  });

  it("carries the hold's expiry to both gateways in their UTC+8 formats; an expired order cannot be paid", async () => {
    const expiresAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 1000);
    const input = { amountFen: 100, subject: "Hold", channel: "qr" as const, notifyUrl: h.notifyUrl("/e"), expiresAt };
    for (const provider of [createAlipayProvider(h.merchant.alipay), createWechatProvider(h.merchant.wechat)]) {
      const outTradeNo = tradeNo("E");
      await provider.createOrder({ ...input, outTradeNo });
      expect(h.gateway.order(outTradeNo)?.expiresAt?.getTime()).toBe(expiresAt.getTime());
      await expect(h.gateway.approve(outTradeNo)).rejects.toThrow(/expired/);
      await expect(provider.query("bad/../no")).rejects.toMatchObject({ code: "INVALID_REQUEST" });
    }
  });

  it("refuses an Alipay request for another app id", async () => {
    const p = createAlipayProvider({ ...h.merchant.alipay, appId: "2021000000000001" });
    await expect(p.query("ANY_ORDER_3")).rejects.toMatchObject({ gatewayCode: "isv.invalid-app-id" });
  });
});

describe("providers from env", () => {
  it("falls back to the sandbox with no keys: the same providers, pointed at it", async () => {
    const config = paymentConfigFromEnv(h.sandboxOrigin, { env: testEnv({}), sandboxDataDir: h.dataDir });
    expect(config.source).toEqual({ alipay: "sandbox", wechat: "sandbox" });
    expect(config.alipay.gateway).toBe(`${h.sandboxOrigin}/sandbox-gateway/alipay/gateway.do`);
    const alipay = getProvider("alipay", config);
    expect(getProvider("alipay", config)).toBe(alipay);
    const outTradeNo = tradeNo("P");
    expect(
      (await alipay.createOrder({ outTradeNo, amountFen: 100, subject: "x", channel: "qr", notifyUrl: h.notifyUrl("/a") })).codeUrl,
    ).toBeTruthy();
    expect(await getProvider("wechat", config).query(outTradeNo)).toEqual({ status: "pending" }); // an Alipay order
  });

  it("uses real keys when all are set, and refuses half a configuration or a production fallback", () => {
    const m = h.merchant;
    const live = testEnv({
      NODE_ENV: "production",
      ALIPAY_APP_ID: m.alipay.appId,
      ALIPAY_PRIVATE_KEY: m.alipay.privateKey,
      ALIPAY_PUBLIC_KEY: m.alipay.alipayPublicKey,
      WECHATPAY_APPID: m.wechat.appId,
      WECHATPAY_MCHID: m.wechat.mchId,
      WECHATPAY_PRIVATE_KEY: m.wechat.privateKey,
      WECHATPAY_CERT: m.wechat.certificate,
      WECHATPAY_PLATFORM_PUBLIC_KEY: m.wechat.platformPublicKey,
      WECHATPAY_PLATFORM_SERIAL: m.wechat.platformSerial,
      WECHATPAY_APIV3_KEY: m.wechat.apiV3Key,
    });
    const config = paymentConfigFromEnv("https://yuyue.example", { env: live });
    expect(config.source).toEqual({ alipay: "env", wechat: "env" });
    expect(config.alipay.gateway).toBeUndefined();
    expect(getProvider("wechat", config).name).toBe("wechat");
    expect(() => paymentConfigFromEnv("https://yuyue.example", { env: { ...live, WECHATPAY_CERT: undefined } })).toThrow(/WECHATPAY_CERT/);
    expect(() => paymentConfigFromEnv("https://yuyue.example", { env: testEnv({ NODE_ENV: "production" }) })).toThrow(PaymentConfigError);
  });
});
