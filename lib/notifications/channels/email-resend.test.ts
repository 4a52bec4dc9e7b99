import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { bookingIcsAttachment } from "../ics";
import { createResendChannel } from "./email-resend";
import { ChannelError, type ChannelMessage } from "./types";

type Seen = { method?: string; url?: string; headers: IncomingHttpHeaders; body: string };
type Answer = { status: number; body: string; contentType?: string };

let server: Server;
let baseUrl: string;
const seen: Seen[] = [];
let answer: Answer;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(answer.status, { "content-type": answer.contentType ?? "application/json" });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen.length = 0;
  answer = { status: 200, body: JSON.stringify({ id: "4ef9a417-02e9-4d39-ad75-9611e0fcc33c" }) };
});

const bookingId = "0b5c7f7e-3f0a-4d8e-9a59-2f3c1c9f2a11";
// Thu 26 Nov 2026, 14:30–15:30 in Shanghai = 06:30–07:30 UTC
const message = (): ChannelMessage => ({
  to: "zhang.san@example.com",
  title: "预约成功：剪发",
  text: "您已成功预约 剪发",
  html: "<p>您已成功预约 剪发</p>",
  attachments: [
    bookingIcsAttachment({
      bookingId,
      startsAt: new Date("2026-11-26T06:30:00Z"),
      endsAt: new Date("2026-11-26T07:30:00Z"),
      summary: "剪发 · Lotus 美发",
      organizer: { name: "Yuyue", email: "noreply@yuyue.local" },
      stampedAt: new Date("2026-11-25T12:00:00Z"),
    }),
  ],
  idempotencyKey: "notif-7d1e2c",
});

const channel = () => createResendChannel({ apiKey: "re_test_123", from: "Yuyue <noreply@yuyue.local>", baseUrl: `${baseUrl}/` });

async function sendError(msg: ChannelMessage = message()): Promise<ChannelError> {
  const error = await channel()
    .send(msg)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(ChannelError);
  return error as ChannelError;
}

describe("Resend email channel", () => {
  it("POSTs /emails with bearer auth, the idempotency key and the .ics as base64", async () => {
    const envBefore = process.env.RESEND_BASE_URL;
    const result = await channel().send(message());
    expect(result).toEqual({ providerMessageId: "4ef9a417-02e9-4d39-ad75-9611e0fcc33c" });
    expect(process.env.RESEND_BASE_URL).toBe(envBefore); // configured by argument, env untouched

    expect(seen).toHaveLength(1);
    const req = seen[0]!;
    expect(req.method).toBe("POST");
    expect(req.url).toBe("/emails");
    expect(req.headers.authorization).toBe("Bearer re_test_123");
    expect(req.headers["idempotency-key"]).toBe("notif-7d1e2c");
    expect(req.headers["content-type"]).toBe("application/json");

    const body = JSON.parse(req.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      from: "Yuyue <noreply@yuyue.local>",
      to: "zhang.san@example.com",
      subject: "预约成功：剪发",
      html: "<p>您已成功预约 剪发</p>",
      text: "您已成功预约 剪发",
    });
    const attachments = body.attachments as { filename: string; content: string; content_type: string }[];
    expect(attachments).toHaveLength(1);
    expect(attachments[0]).toMatchObject({ filename: "booking.ics", content_type: "text/calendar" });
    const ics = Buffer.from(attachments[0]!.content, "base64").toString("utf8");
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(ics).toContain(`UID:${bookingId}@yuyue\r\n`);
    expect(ics).toContain("DTSTART:20261126T063000Z\r\n");
    expect(ics).toContain("METHOD:REQUEST\r\n");
  });

  it("maps a 422 validation error to a non-retryable ChannelError", async () => {
    answer = {
      status: 422,
      body: JSON.stringify({ statusCode: 422, name: "validation_error", message: "Invalid `to` field." }),
    };
    const error = await sendError({ ...message(), to: "not-an-email" });
    expect(error).toMatchObject({ retryable: false, code: "validation_error", status: 422, provider: "resend" });
  });

  it("retries while a request with the same key is in flight, not when the key was reused for another body", async () => {
    answer = { status: 409, body: JSON.stringify({ statusCode: 409, name: "concurrent_idempotent_requests", message: "in progress" }) };
    expect(await sendError()).toMatchObject({ retryable: true });
    answer = { status: 409, body: JSON.stringify({ statusCode: 409, name: "invalid_idempotent_request", message: "different payload" }) };
    expect(await sendError()).toMatchObject({ retryable: false, code: "invalid_idempotent_request" });
  });

  it("maps 500 and 429 answers to retryable errors", async () => {
    answer = { status: 500, body: JSON.stringify({ statusCode: 500, name: "internal_server_error", message: "boom" }) };
    expect(await sendError()).toMatchObject({ retryable: true, status: 500 });

    answer = { status: 502, body: "<html>Bad gateway</html>", contentType: "text/html" };
    expect(await sendError()).toMatchObject({ retryable: true, status: 502 });

    answer = { status: 429, body: JSON.stringify({ statusCode: 429, name: "rate_limit_exceeded", message: "slow down" }) };
    expect(await sendError()).toMatchObject({ retryable: true, code: "rate_limit_exceeded" });
  });

  it("maps a connection failure to a retryable error", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const offline = createResendChannel({ apiKey: "re_test_123", from: "a@b.c", baseUrl: `http://127.0.0.1:${port}` });
    const error = await offline.send(message()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ChannelError);
    expect(error).toMatchObject({ retryable: true, code: "application_error" });
  });
});
