import { createHash, createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTencentSmsChannel, isRetryableTencentCode, tencentPhoneNumber, type TencentSmsConfig } from "./sms-tencent";
import { ChannelError, type ChannelMessage } from "./types";

const SECRET_ID = "AKIDTestSecretIdKeptLocal";
const SECRET_KEY = "test-secret-key-kept-local";

type Seen = { method: string; path: string; headers: IncomingMessage["headers"]; body: string; signatureOk: boolean };
const seen: Seen[] = [];
let answer: { status: number; body: unknown };
let server: Server;
let endpoint: string;

const sha256hex = (s: string) => createHash("sha256").update(s).digest("hex");
const hmac = (key: Buffer | string, s: string) => createHmac("sha256", key).update(s).digest();

/** Recomputes TC3-HMAC-SHA256 from what arrived on the wire, as the Tencent Cloud API gateway does. */
function verifyTc3(req: Omit<Seen, "signatureOk">): boolean {
  const auth =
    /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([a-z]+)\/tc3_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      String(req.headers.authorization ?? ""),
    );
  if (!auth || auth[1] !== SECRET_ID || auth[3] !== "sms") return false;
  const [, , date, service, signedHeaderList, signature] = auth;
  const timestamp = Number(req.headers["x-tc-timestamp"]);
  if (!Number.isFinite(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) return false;
  if (new Date(timestamp * 1000).toISOString().slice(0, 10) !== date) return false;
  const signedHeaders = signedHeaderList!.split(";");
  const headers = signedHeaders.map((h) => `${h}:${String(req.headers[h] ?? "").trim()}\n`).join("");
  const canonical = [req.method, req.path, "", headers, signedHeaders.join(";"), sha256hex(req.body)].join("\n");
  const toSign = ["TC3-HMAC-SHA256", String(timestamp), `${date}/${service}/tc3_request`, sha256hex(canonical)].join("\n");
  const kSigning = hmac(hmac(hmac(`TC3${SECRET_KEY}`, date!), service!), "tc3_request");
  return createHmac("sha256", kSigning).update(toSign).digest("hex") === signature;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const entry = {
        method: req.method ?? "",
        path: new URL(req.url ?? "/", "http://local").pathname,
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      const signatureOk = verifyTc3(entry);
      seen.push({ ...entry, signatureOk });
      if (answer.status < 0) return; // no answer at all: the client times out
      res.writeHead(signatureOk ? answer.status : 200, { "content-type": "application/json" });
      const failure = { Response: { Error: { Code: "AuthFailure.SignatureFailure", Message: "signature mismatch" }, RequestId: "R-SIG" } };
      res.end(JSON.stringify(signatureOk ? answer.body : failure));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

const okStatus = (code = "Ok") => ({
  status: 200,
  body: {
    Response: {
      SendStatusSet: [
        {
          SerialNo: "5000:1045710669157053657849499619",
          PhoneNumber: "+8613800138000",
          Fee: 1,
          SessionContext: "notif-sms-1",
          Code: code,
          Message: code === "Ok" ? "send success" : "limit",
          IsoCode: "CN",
        },
      ],
      RequestId: "a0aabda6-cf91-4f3e-a81f-9198114a2279",
    },
  },
});
beforeEach(() => {
  seen.length = 0;
  answer = okStatus();
});

const config = (extra: Partial<TencentSmsConfig> = {}): TencentSmsConfig => ({
  secretId: SECRET_ID,
  secretKey: SECRET_KEY,
  sdkAppId: "1400006666",
  signName: "约约预约",
  region: "ap-guangzhou",
  endpoint,
  timeoutMs: 2000,
  ...extra,
});

const message = (extra: Partial<ChannelMessage["sms"]> = {}): ChannelMessage => ({
  to: "+86 138 0013 8000",
  title: "验证码",
  text: "验证码已发送",
  sms: { templateCode: "1234567", params: { code: "482913", minutes: "5" }, ...extra },
  idempotencyKey: "notif-sms-1",
});

const failure = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ChannelError);
  return e as ChannelError;
};

describe("Tencent Cloud SMS channel (official SDK against a local server checking TC3-HMAC-SHA256)", () => {
  it("sends SendSms signed for the sms service, with E.164 number, template params in order and the session context", async () => {
    const result = await createTencentSmsChannel(config()).send(message());
    expect(result.providerMessageId).toBe("5000:1045710669157053657849499619");
    expect(seen).toHaveLength(1);
    const req = seen[0]!;
    expect(req.signatureOk).toBe(true);
    expect(req.headers.host).toBe("sms.tencentcloudapi.com");
    expect(req.headers["x-tc-action"]).toBe("SendSms");
    expect(req.headers["x-tc-version"]).toBe("2021-01-11");
    expect(req.headers["x-tc-region"]).toBe("ap-guangzhou");
    expect(JSON.parse(req.body)).toEqual({
      PhoneNumberSet: ["+8613800138000"],
      SmsSdkAppId: "1400006666",
      SignName: "约约预约",
      TemplateId: "1234567",
      TemplateParamSet: ["482913", "5"],
      SessionContext: "notif-sms-1",
    });
  });

  it("uses a message type's own signature when it has one", async () => {
    await createTencentSmsChannel(config()).send(message({ signName: "约约验证" }));
    expect(JSON.parse(seen[0]!.body).SignName).toBe("约约验证");
  });

  it("a wrong key is refused by the signature check: permanent", async () => {
    const e = await failure(createTencentSmsChannel(config({ secretKey: "not-the-key" })).send(message()));
    expect(seen[0]!.signatureOk).toBe(false);
    expect([e.code, e.retryable, e.maybeDelivered]).toEqual(["AuthFailure.SignatureFailure", false, false]);
  });

  it("maps per-number statuses and API errors to retryable or permanent", async () => {
    answer = okStatus("LimitExceeded.PhoneNumberThirtySecondLimit");
    let e = await failure(createTencentSmsChannel(config()).send(message()));
    expect([e.code, e.retryable]).toEqual(["LimitExceeded.PhoneNumberThirtySecondLimit", true]);

    answer = okStatus("FailedOperation.TemplateIncorrectOrUnapproved");
    e = await failure(createTencentSmsChannel(config()).send(message()));
    expect([e.code, e.retryable]).toEqual(["FailedOperation.TemplateIncorrectOrUnapproved", false]);

    answer = { status: 200, body: { Response: { Error: { Code: "InternalError.Timeout", Message: "timeout" }, RequestId: "R1" } } };
    e = await failure(createTencentSmsChannel(config()).send(message()));
    expect([e.code, e.retryable]).toEqual(["InternalError.Timeout", true]);

    answer = {
      status: 200,
      body: { Response: { Error: { Code: "UnauthorizedOperation.SmsSdkAppIdVerifyFail", Message: "no" }, RequestId: "R2" } },
    };
    e = await failure(createTencentSmsChannel(config()).send(message()));
    expect([e.code, e.retryable]).toEqual(["UnauthorizedOperation.SmsSdkAppIdVerifyFail", false]);

    answer = { status: 502, body: {} };
    e = await failure(createTencentSmsChannel(config()).send(message()));
    expect([e.status, e.retryable]).toEqual([502, true]);
  });

  it("no answer: retryable and maybe delivered", async () => {
    answer = { status: -1, body: null };
    const e = await failure(createTencentSmsChannel(config({ timeoutMs: 1000 })).send(message()));
    expect([e.retryable, e.maybeDelivered]).toEqual([true, true]);
  });

  it("normalises numbers and classifies codes", () => {
    expect(tencentPhoneNumber("13800138000")).toBe("+8613800138000");
    expect(tencentPhoneNumber("8613800138000")).toBe("+8613800138000");
    expect(tencentPhoneNumber("+852 6123 4567")).toBe("+85261234567");
    expect(isRetryableTencentCode("LimitExceeded.PhoneNumberDailyLimit")).toBe(false);
    expect(isRetryableTencentCode("FailedOperation.InsufficientBalanceInSmsPackage")).toBe(false);
    expect(isRetryableTencentCode("RequestLimitExceeded")).toBe(true);
  });
});
