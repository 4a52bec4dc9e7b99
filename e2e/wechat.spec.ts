import { createVerify } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { DateTime } from "luxon";
import { registerByEmail } from "./helpers";

/**
 * Inside the WeChat browser (Chromium with WeChat's user agent, on the phone project): sign in by
 * WeChat OAuth through the sandbox, book the tuina service (¥50 deposit), and pay it by JSAPI. The
 * page's WeixinJSBridge is the test's stand-in for the WeChat app: it checks the paySign with the
 * merchant certificate the sandbox generated (as WeChat does before showing its cashier), then pays
 * through the sandbox's control API, which sends the signed paid notice.
 */
test.use({
  userAgent:
    "Mozilla/5.0 (Linux; Android 14; Pixel 7 Build/AP2A.240805.005; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 " +
    "Chrome/130.0.6723.103 Mobile Safari/537.36 XWEB/1300289 MMWEBSDK/20241103 MMWEBID/2485 MicroMessenger/8.0.54.2760(0x28003637) " +
    "WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64",
});

const ZONE = "Asia/Shanghai";
const SANDBOX_KEYS = path.join(process.cwd(), ".data", "sandbox-gateway", "keys");

type BridgeArgs = Record<string, string>;

async function openTuinaSlot(request: APIRequestContext): Promise<{ serviceId: string; slotId: string; date: string }> {
  const services = (await (await request.get("/api/v1/services")).json()).services as { id: string; depositFen: number }[];
  const tuina = services.find((s) => s.depositFen === 5000)!;
  for (let attempt = 0; attempt < 20; attempt++) {
    const date = DateTime.now()
      .setZone(ZONE)
      .plus({ days: 3 + Math.floor(Math.random() * 22) })
      .toISODate()!;
    const { slots } = await (await request.get(`/api/v1/services/${tuina.id}/availability?from=${date}&to=${date}`)).json();
    const open = (slots as { id: string; state: string; remaining: number }[]).filter((s) => s.state === "open" && s.remaining > 0);
    const slot = open[Math.floor(Math.random() * open.length)];
    if (slot) return { serviceId: tuina.id, slotId: slot.id, date };
  }
  throw new Error("no open tuina slot found");
}

/**
 * WeChat's in-app bridge as the test's stand-in: it checks the paySign against the merchant's
 * certificate (as WeChat does before it shows its cashier), then the customer confirms and the
 * sandbox takes the money and sends the signed paid notice. Returns the calls it saw.
 */
async function installWechatBridge(page: Page) {
  const bridgeCalls: { api: string; args: BridgeArgs; valid: boolean }[] = [];
  await page.exposeFunction("__checkPaySign", (api: string, args: BridgeArgs) => {
    const cert = readFileSync(path.join(SANDBOX_KEYS, "wechat-merchant-cert.pem"), "utf8");
    const message = `${args.appId}\n${args.timeStamp}\n${args.nonceStr}\n${args.package}\n`;
    const valid =
      args.signType === "RSA" &&
      createVerify("RSA-SHA256")
        .update(message)
        .verify(cert, args.paySign ?? "", "base64");
    bridgeCalls.push({ api, args, valid });
    return valid;
  });
  await page.addInitScript(() => {
    const w = window as unknown as {
      __checkPaySign(api: string, args: Record<string, string>): Promise<boolean>;
      WeixinJSBridge: unknown;
    };
    w.WeixinJSBridge = {
      invoke(api: string, args: Record<string, string>, done: (answer: { err_msg: string }) => void) {
        void (async () => {
          if (api !== "getBrandWCPayRequest" || !(await w.__checkPaySign(api, args))) return done({ err_msg: `${api}:fail` });
          // The customer confirms in WeChat's cashier: the sandbox takes the money and notifies the merchant.
          const paid = await fetch("/sandbox-gateway/control/jsapi-pay", {
            method: "POST",
            body: new URLSearchParams({ prepay_id: args.package ?? "" }),
          });
          done({ err_msg: ((await paid.json()) as { err_msg: string }).err_msg });
        })();
      },
    };
  });
  return bridgeCalls;
}

test("in WeChat: OAuth sign-in keeps the slot, JSAPI pay parameters are signed by the merchant key, the paid notice confirms", async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  const { serviceId, slotId, date } = await openTuinaSlot(request);

  const bridgeCalls = await installWechatBridge(page);

  // Picking a slot as a visitor, then "WeChat sign-in": OAuth through the sandbox (snsapi_base, silent).
  await page.goto(`/services/${serviceId}?date=${date}`);
  await page.locator(`[data-slot-id="${slotId}"]`).click();
  await page.getByTestId("sign-in-to-book").getByRole("link", { name: "去登录" }).click();
  await expect(page).toHaveURL(/\/signin\?/);
  // A first WeChat sign-in creates the account: the privacy policy is accepted on the way.
  await page
    .getByTestId("wechat-sign-in")
    .getByRole("checkbox", { name: /隐私政策/ })
    .check();
  await page.getByTestId("wechat-sign-in").getByRole("button", { name: "微信一键登录" }).click();
  await expect(page).toHaveURL(new RegExp(`/services/${serviceId}\\?date=${date}&slot=${slotId}$`), { timeout: 30_000 });

  const form = page.getByRole("form", { name: "填写预约信息" });
  await form.getByLabel("不适部位或症状").fill("微信里预约：肩颈");
  await form.getByRole("button", { name: "立即预约" }).click();
  await expect(page).toHaveURL(/\/bookings\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  const bookingId = page.url().split("/bookings/")[1]!;

  await page.goto(`/bookings/${bookingId}/pay`);
  await expect(page).toHaveURL(new RegExp(`/bookings/${bookingId}/pay$`));
  await expect(page.getByTestId("pay-amount")).toHaveText("¥50.00");
  // Alipay cannot open inside WeChat: the page says how to leave for the browser instead of offering a dead button.
  await expect(page.getByTestId("alipay-in-wechat")).toContainText("右上角");
  await expect(page.getByRole("button", { name: "支付宝" })).toHaveCount(0);

  await page.getByRole("button", { name: "微信支付" }).click();
  await expect(page).toHaveURL(new RegExp(`/bookings/${bookingId}\\?paid=1`), { timeout: 60_000 });
  await expect(page.getByTestId("booking-title")).toHaveText("预约成功");

  expect(bridgeCalls).toHaveLength(1);
  const { args, valid } = bridgeCalls[0]!;
  expect(valid).toBe(true);
  const ids = JSON.parse(readFileSync(path.join(SANDBOX_KEYS, "ids.json"), "utf8")) as { wechatAppId: string };
  expect(args).toMatchObject({ appId: ids.wechatAppId, signType: "RSA" });
  expect(args.package).toMatch(/^prepay_id=wx\w+$/);
  expect(Math.abs(Number(args.timeStamp) - Date.now() / 1000)).toBeLessThan(600);
});

test("a customer signed in by password gets the openid silently on the pay page, and a payment WeChat did not complete leaves the booking on hold", async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  const email = `wx${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;
  const reg = await registerByEmail(request, { email, password: "password-123", name: "微信顾客" });
  const { token } = await reg.json();
  const { slotId } = await openTuinaSlot(request);
  const res = await request.post("/api/v1/bookings", {
    headers: { authorization: `Bearer ${token}` },
    data: { timeslotId: slotId, fields: { symptoms: "腰" } },
  });
  expect(res.status(), await res.text()).toBe(201);
  const { booking } = (await res.json()) as { booking: { id: string } };

  // WeChat answers the bridge with a failure (say, the customer's balance is short): nothing is paid.
  await page.addInitScript(() => {
    (window as unknown as { WeixinJSBridge: unknown }).WeixinJSBridge = {
      invoke(_api: string, _args: Record<string, string>, done: (answer: { err_msg: string }) => void) {
        done({ err_msg: "get_brand_wcpay_request:fail" });
      },
    };
  });
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(`/bookings/${booking.id}/pay`)}`);
  await page.getByLabel(/邮箱或手机号/).fill(email);
  await page.getByLabel(/^密码$/).fill("password-123");
  await page.getByRole("button", { name: /^登录$/ }).click();
  // The pay page fetched the openid through the sandbox (snsapi_base) and came back to itself.
  await expect(page).toHaveURL(new RegExp(`/bookings/${booking.id}/pay$`), { timeout: 30_000 });
  await page.getByRole("button", { name: "微信支付" }).click();
  await expect(page.getByTestId("wechat-pay-result")).toHaveText("微信支付未完成，可重试。");
  const after = await request.get(`/api/v1/bookings/${booking.id}`, { headers: { authorization: `Bearer ${token}` } });
  expect(((await after.json()) as { booking: { status: string } }).booking.status).toBe("pending_payment");
});

test("in WeChat a card is bought by JSAPI as a booking is paid: signed parameters, the card issued", async ({ page }) => {
  test.setTimeout(180_000);
  const bridgeCalls = await installWechatBridge(page);
  await page.goto(`/signin?callbackUrl=${encodeURIComponent("/me/passes")}`);
  // A first WeChat sign-in creates the account: the privacy policy is accepted on the way.
  await page
    .getByTestId("wechat-sign-in")
    .getByRole("checkbox", { name: /隐私政策/ })
    .check();
  await page.getByTestId("wechat-sign-in").getByRole("button", { name: "微信一键登录" }).click();
  await expect(page).toHaveURL(/\/me\/passes$/, { timeout: 30_000 });
  await page.getByRole("link", { name: "购买 推拿 3 次体验卡" }).click();
  await expect(page.getByTestId("pay-amount")).toHaveText("¥768.00");
  await page.getByRole("button", { name: "微信支付" }).click();
  await expect(page).toHaveURL(/\/me\/passes\?bought=1$/, { timeout: 60_000 });
  const card = page.getByTestId("my-pass").filter({ hasText: "推拿 3 次体验卡" });
  await expect(card.getByTestId("my-pass-left")).toHaveText("剩余 3 次");
  expect(bridgeCalls).toHaveLength(1);
  expect(bridgeCalls[0]!.valid).toBe(true);
});
