import { beforeEach, describe, expect, it } from "vitest";
import { clearDevMessages, createDevChannel, listDevMessages } from "./dev";
import { channelConfigFromEnv, channelsFromConfig } from "./index";
import { ChannelError, type ChannelMessage } from "./types";

const at = new Date("2026-11-25T12:00:00Z");

const email = (key: string, to = "li.si@example.com"): ChannelMessage => ({
  to,
  title: "预约成功：剪发",
  text: "text body",
  html: "<p>html body</p>",
  attachments: [{ filename: "booking.ics", content: "BEGIN:VCALENDAR", contentType: "text/calendar" }],
  idempotencyKey: key,
});

const sms = (key: string): ChannelMessage => ({
  to: "13800138000",
  title: "预约提醒",
  text: "text body",
  sms: { templateCode: "SMS_YUYUE_REMINDER", params: { name: "李四", hours: "24" } },
  idempotencyKey: key,
});

beforeEach(() => clearDevMessages());

describe("dev transports", () => {
  it("stores a message once per idempotency key and returns the same id", async () => {
    const channel = createDevChannel("email", { now: () => at });
    const first = await channel.send(email("k-1"));
    const again = await channel.send({ ...email("k-1"), title: "changed on retry" });
    expect(again.providerMessageId).toBe(first.providerMessageId);

    const stored = listDevMessages({ to: "li.si@example.com" });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toEqual({
      providerMessageId: first.providerMessageId,
      channel: "email",
      to: "li.si@example.com",
      title: "预约成功：剪发",
      text: "text body",
      html: "<p>html body</p>",
      sms: undefined,
      attachments: ["booking.ics"],
      idempotencyKey: "k-1",
      at,
    });
  });

  it("filters by recipient and channel, newest first", async () => {
    const mail = createDevChannel("email");
    const text = createDevChannel("sms");
    await mail.send(email("a", "a@example.com"));
    await mail.send(email("b", "b@example.com"));
    await text.send(sms("c"));

    expect(listDevMessages().map((m) => m.idempotencyKey)).toEqual(["c", "b", "a"]);
    expect(listDevMessages({ channel: "email" }).map((m) => m.idempotencyKey)).toEqual(["b", "a"]);
    expect(listDevMessages({ to: "13800138000", channel: "sms" })[0]?.sms).toEqual({
      templateCode: "SMS_YUYUE_REMINDER",
      params: { name: "李四", hours: "24" },
    });
  });

  it("fails an SMS without a template the way the real provider does", async () => {
    const error = await createDevChannel("sms")
      .send({ ...sms("d"), sms: undefined })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(ChannelError);
    expect(error).toMatchObject({ retryable: false });
    expect(listDevMessages()).toHaveLength(0);
  });
});

describe("channel selection", () => {
  const none = {
    RESEND_API_KEY: undefined,
    RESEND_BASE_URL: undefined,
    MAIL_FROM: "Yuyue <noreply@yuyue.local>",
    SMS_PROVIDER: undefined,
    SMS_ACCESS_KEY_ID: undefined,
    SMS_ACCESS_KEY_SECRET: undefined,
    SMS_SIGN_NAME: undefined,
    SMS_ENDPOINT: undefined,
    SMS_SDK_APP_ID: undefined,
    SMS_REGION: undefined,
  };

  it("uses the dev transports when no keys are set", () => {
    expect(channelConfigFromEnv(none)).toEqual({ email: { provider: "dev" }, sms: { provider: "dev" } });
    const channels = channelsFromConfig(channelConfigFromEnv(none));
    expect([channels.email.provider, channels.email.kind, channels.sms.provider, channels.sms.kind]).toEqual([
      "dev",
      "email",
      "dev",
      "sms",
    ]);
    // aliyun without keys stays on dev
    expect(channelConfigFromEnv({ ...none, SMS_PROVIDER: "aliyun" }).sms).toEqual({ provider: "dev" });
  });

  it("picks Resend and Aliyun when their keys are set", () => {
    const config = channelConfigFromEnv({
      ...none,
      RESEND_API_KEY: "re_123",
      RESEND_BASE_URL: "http://127.0.0.1:4010",
      SMS_PROVIDER: "aliyun",
      SMS_ACCESS_KEY_ID: "id",
      SMS_ACCESS_KEY_SECRET: "secret",
      SMS_SIGN_NAME: "约约预约",
    });
    expect(config.email).toEqual({
      provider: "resend",
      apiKey: "re_123",
      from: "Yuyue <noreply@yuyue.local>",
      baseUrl: "http://127.0.0.1:4010",
    });
    expect(config.sms).toMatchObject({ provider: "aliyun", signName: "约约预约" });
    const channels = channelsFromConfig(config);
    expect([channels.email.provider, channels.sms.provider]).toEqual(["resend", "aliyun"]);
  });

  it("refuses settings that would fail every send", () => {
    const tencentKeys = { SMS_PROVIDER: "tencent" as const, SMS_ACCESS_KEY_ID: "id", SMS_ACCESS_KEY_SECRET: "s", SMS_SIGN_NAME: "约约" };
    expect(() => channelConfigFromEnv({ ...none, ...tencentKeys })).toThrow(/SMS_SDK_APP_ID/);
    expect(channelConfigFromEnv({ ...none, ...tencentKeys, SMS_SDK_APP_ID: "1400000000" }).sms).toMatchObject({ provider: "tencent" });
    expect(() => channelConfigFromEnv({ ...none, SMS_PROVIDER: "aliyun", SMS_ACCESS_KEY_ID: "id", SMS_ACCESS_KEY_SECRET: "s" })).toThrow(
      /SMS_SIGN_NAME/,
    );
  });
});
