import { createHash, createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { aliyunEndpoint, aliyunPhoneNumber, aliyunSendDates, createAliyunSmsChannel } from "./sms-aliyun";
import { ChannelError, type ChannelMessage } from "./types";

const KEY_ID = "LTAI5tTestKeyId";
const SECRET = "test-secret-kept-local";

type Seen = { method: string; path: string; query: URLSearchParams; headers: IncomingMessage["headers"]; body: string };
const seen: Seen[] = [];
let answer: { status: number; body: unknown };
let server: Server;
let endpoint: string;

/** RFC 3986 encoding as the ACS3 canonical query uses it. */
const acsEncode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Recomputes ACS3-HMAC-SHA256 from what arrived on the wire, as the Aliyun gateway does. */
function verifyAcs3(req: Seen, secret: string): boolean {
  const auth = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(
    String(req.headers.authorization ?? ""),
  );
  if (!auth || auth[1] !== KEY_ID) return false;
  const signedHeaders = auth[2]!.split(";");
  const payloadHash = createHash("sha256").update(req.body).digest("hex");
  if (req.headers["x-acs-content-sha256"] !== payloadHash) return false;
  const query = [...req.query.keys()]
    .sort()
    .map((k) => `${acsEncode(k)}=${acsEncode(req.query.get(k) ?? "")}`)
    .join("&");
  const headers = signedHeaders.map((h) => `${h}:${String(req.headers[h] ?? "").trim()}\n`).join("");
  const canonical = [req.method, req.path, query, headers, signedHeaders.join(";"), payloadHash].join("\n");
  const toSign = `ACS3-HMAC-SHA256\n${createHash("sha256").update(canonical).digest("hex")}`;
  return createHmac("sha256", secret).update(toSign).digest("hex") === auth[3];
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://local");
      const entry = {
        method: req.method ?? "",
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      seen.push(entry);
      if (answer.status < 0) return; // no answer at all: the client times out
      const ok = verifyAcs3(entry, SECRET);
      res.writeHead(ok ? answer.status : 400, { "content-type": "application/json;charset=utf-8" });
      res.end(JSON.stringify(ok ? answer.body : { Code: "SignatureDoesNotMatch", Message: "bad signature", RequestId: "R-SIG" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  seen.length = 0;
  answer = {
    status: 200,
    body: { Code: "OK", Message: "OK", BizId: "900619746936498440^0", RequestId: "F655A8D5-B967-440B-8683-DAD6FF8DE990" },
  };
});

const message = (): ChannelMessage => ({
  to: "+86 138 0013 8000",
  title: "预约成功：剪发",
  text: "您已成功预约 剪发",
  sms: { templateCode: "SMS_YUYUE_CONFIRMED", params: { name: "张三", service: "剪发", time: "11月26日 周四 14:30", code: "YY8K2Q" } },
  idempotencyKey: "notif-sms-1",
});

const channel = (secret = SECRET, timeoutMs?: number) =>
  createAliyunSmsChannel({ accessKeyId: KEY_ID, accessKeySecret: secret, signName: "约约预约", endpoint, timeoutMs });

async function sendError(ch = channel(), msg = message()): Promise<ChannelError> {
  const error = await ch.send(msg).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChannelError);
  return error as ChannelError;
}

describe("Aliyun SMS channel (official SDK)", () => {
  it("sends a signed SendSms request and returns the BizId", async () => {
    const result = await channel().send(message());
    expect(result).toEqual({ providerMessageId: "900619746936498440^0" });

    expect(seen).toHaveLength(1);
    const req = seen[0]!;
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/");
    expect(req.headers["x-acs-action"]).toBe("SendSms");
    expect(req.headers["x-acs-version"]).toBe("2017-05-25");
    expect(req.headers.host).toBe(endpoint);
    expect(req.headers["x-acs-signature-nonce"]).toBeTruthy();
    expect(req.headers.authorization).toMatch(/^ACS3-HMAC-SHA256 Credential=LTAI5tTestKeyId,SignedHeaders=.*x-acs-action.*,Signature=/);
    expect(verifyAcs3(req, SECRET)).toBe(true);
    expect(verifyAcs3(req, "another-secret")).toBe(false);

    expect(req.query.get("PhoneNumbers")).toBe("13800138000");
    expect(req.query.get("SignName")).toBe("约约预约");
    expect(req.query.get("TemplateCode")).toBe("SMS_YUYUE_CONFIRMED");
    expect(JSON.parse(req.query.get("TemplateParam") ?? "")).toEqual(message().sms?.params);
    expect(req.query.get("OutId")).toBe("notif-sms-1");
  });

  it("rejects a request signed with the wrong secret (non-retryable)", async () => {
    const error = await sendError(channel("wrong-secret"));
    expect(error).toMatchObject({ retryable: false, code: "SignatureDoesNotMatch", status: 400 });
  });

  it("maps Code != OK: a bad number is permanent, flow control is retryable", async () => {
    answer = { status: 200, body: { Code: "isv.MOBILE_NUMBER_ILLEGAL", Message: "非法手机号", RequestId: "R1" } };
    expect(await sendError()).toMatchObject({ retryable: false, code: "isv.MOBILE_NUMBER_ILLEGAL", provider: "aliyun" });

    answer = { status: 200, body: { Code: "isv.BUSINESS_LIMIT_CONTROL", Message: "触发分钟级流控", RequestId: "R2" } };
    expect(await sendError()).toMatchObject({ retryable: true, code: "isv.BUSINESS_LIMIT_CONTROL" });
  });

  it("maps HTTP throttling and 5xx answers to retryable errors", async () => {
    answer = { status: 400, body: { Code: "Throttling.User", Message: "Request was denied due to user flow control.", RequestId: "R3" } };
    expect(await sendError()).toMatchObject({ retryable: true, code: "Throttling.User" });

    answer = { status: 503, body: { Code: "ServiceUnavailable", Message: "busy", RequestId: "R4" } };
    expect(await sendError()).toMatchObject({ retryable: true, status: 503 });
  });

  it("refuses a message without a template before calling the provider", async () => {
    const error = await sendError(channel(), { ...message(), sms: undefined });
    expect(error).toMatchObject({ retryable: false, code: "missing_sms_template" });
    expect(seen).toHaveLength(0);
  });

  it("derives protocol and host from the configured endpoint", () => {
    expect(aliyunEndpoint()).toEqual({ host: "dysmsapi.aliyuncs.com", protocol: "https" });
    expect(aliyunEndpoint("localhost:9000")).toEqual({ host: "localhost:9000", protocol: "http" });
    expect(aliyunEndpoint("http://sms-mock.internal:8080")).toEqual({ host: "sms-mock.internal:8080", protocol: "http" });
    expect(aliyunPhoneNumber("+85212345678")).toBe("85212345678");
  });

  it("a call that gets no answer may have been delivered", async () => {
    answer = { status: -1, body: null };
    const error = await sendError(channel(SECRET, 300));
    expect(error).toMatchObject({ retryable: true, maybeDelivered: true });
    answer = { status: 200, body: { Code: "isv.BUSINESS_LIMIT_CONTROL", Message: "触发分钟级流控", RequestId: "R2" } };
    expect(await sendError()).toMatchObject({ maybeDelivered: false });
  });
});

describe("Aliyun SMS send records (QuerySendDetails)", () => {
  const record = (outId: string) => ({
    OutId: outId,
    PhoneNum: "13800138000",
    SendStatus: 3,
    TemplateCode: "SMS_YUYUE_CONFIRMED",
    SendDate: "2026-11-25 20:00:01",
  });
  const page = (records: unknown[]) => ({
    status: 200,
    body: { Code: "OK", Message: "OK", RequestId: "Q1", TotalCount: records.length, SmsSendDetailDTOs: { SmsSendDetailDTO: records } },
  });

  it("finds an accepted message by its outId, asking for the number's records of that day", async () => {
    answer = page([record("someone-else"), record("notif-sms-1")]);
    const since = new Date(Date.now() - 60_000);
    expect(await channel().findSent!(message(), since)).toEqual({ providerMessageId: "aliyun-out:notif-sms-1" });
    const req = seen.at(-1)!;
    expect(req.headers["x-acs-action"]).toBe("QuerySendDetails");
    expect(verifyAcs3(req, SECRET)).toBe(true);
    expect(req.query.get("PhoneNumber")).toBe("13800138000");
    expect(req.query.get("SendDate")).toBe(aliyunSendDates(since).at(-1));
    expect(req.query.get("PageSize")).toBe("50");
    expect(req.query.get("CurrentPage")).toBe("1");
  });

  it("answers null when the provider has no record, and throws when it cannot say", async () => {
    answer = page([record("someone-else")]);
    expect(await channel().findSent!(message(), new Date())).toBeNull();
    answer = { status: 503, body: { Code: "ServiceUnavailable", Message: "busy", RequestId: "R5" } };
    await expect(channel().findSent!(message(), new Date())).rejects.toMatchObject({ retryable: true });
  });

  it("covers every Beijing-time day since the attempt", () => {
    // 23:50 on 25 Nov in Beijing (15:50 UTC) to 00:10 on 26 Nov
    expect(aliyunSendDates(new Date("2026-11-25T15:50:00Z"), new Date("2026-11-25T16:10:00Z"))).toEqual(["20261125", "20261126"]);
    expect(aliyunSendDates(new Date("2026-01-01T00:00:00Z"), new Date("2026-11-25T16:10:00Z"))).toHaveLength(30);
  });
});
