import "server-only";
import { type Env, env } from "@/lib/env";
import { createDevChannel } from "./dev";
import { createResendChannel } from "./email-resend";
import { createAliyunSmsChannel } from "./sms-aliyun";
import { createTencentSmsChannel, type TencentSmsConfig } from "./sms-tencent";
import type { Channel } from "./types";
import { createWechatSubscribeChannel } from "./wechat-subscribe";
import { wechatConfig } from "@/lib/wechat/config";

export type EmailChannelConfig = { provider: "resend"; apiKey: string; from: string; baseUrl?: string } | { provider: "dev" };

export type SmsChannelConfig =
  | { provider: "aliyun"; accessKeyId: string; accessKeySecret: string; signName: string; endpoint?: string }
  | ({ provider: "tencent" } & TencentSmsConfig)
  | { provider: "dev" };

export type ChannelConfig = { email: EmailChannelConfig; sms: SmsChannelConfig };

export type Channels = { email: Channel; sms: Channel; wechat?: Channel };

type ChannelEnv = Pick<
  Env,
  | "RESEND_API_KEY"
  | "RESEND_BASE_URL"
  | "MAIL_FROM"
  | "SMS_PROVIDER"
  | "SMS_ACCESS_KEY_ID"
  | "SMS_ACCESS_KEY_SECRET"
  | "SMS_SIGN_NAME"
  | "SMS_ENDPOINT"
  | "SMS_SDK_APP_ID"
  | "SMS_REGION"
>;

/**
 * Resend when RESEND_API_KEY is set, else the dev transport; Aliyun or Tencent Cloud when
 * SMS_PROVIDER names it and both keys are set, else dev. Settings that would fail every send (keys
 * without a signature, Tencent without its SmsSdkAppId) throw here, at startup, instead of at the first message.
 */
export function channelConfigFromEnv(source: ChannelEnv = env): ChannelConfig {
  const email: EmailChannelConfig = source.RESEND_API_KEY
    ? { provider: "resend", apiKey: source.RESEND_API_KEY, from: source.MAIL_FROM, baseUrl: source.RESEND_BASE_URL }
    : { provider: "dev" };

  const keyId = source.SMS_ACCESS_KEY_ID;
  const secret = source.SMS_ACCESS_KEY_SECRET;
  let sms: SmsChannelConfig = { provider: "dev" };
  if (source.SMS_PROVIDER === "aliyun" && keyId && secret) {
    if (!source.SMS_SIGN_NAME) throw new Error("SMS_PROVIDER=aliyun needs SMS_SIGN_NAME (the approved SMS signature)");
    sms = {
      provider: "aliyun",
      accessKeyId: keyId,
      accessKeySecret: secret,
      signName: source.SMS_SIGN_NAME,
      endpoint: source.SMS_ENDPOINT,
    };
  }
  if (source.SMS_PROVIDER === "tencent" && keyId && secret) {
    if (!source.SMS_SIGN_NAME) throw new Error("SMS_PROVIDER=tencent needs SMS_SIGN_NAME (the approved SMS signature)");
    if (!source.SMS_SDK_APP_ID) throw new Error("SMS_PROVIDER=tencent needs SMS_SDK_APP_ID (the SMS application's SmsSdkAppId)");
    sms = {
      provider: "tencent",
      secretId: keyId,
      secretKey: secret,
      sdkAppId: source.SMS_SDK_APP_ID,
      signName: source.SMS_SIGN_NAME,
      region: source.SMS_REGION,
      endpoint: source.SMS_ENDPOINT,
    };
  }
  return { email, sms };
}

function smsChannel(config: SmsChannelConfig): Channel {
  if (config.provider === "aliyun") return createAliyunSmsChannel(config);
  if (config.provider === "tencent") return createTencentSmsChannel(config);
  return createDevChannel("sms");
}

export function channelsFromConfig(config: ChannelConfig): Channels {
  return {
    email: config.email.provider === "resend" ? createResendChannel(config.email) : createDevChannel("email"),
    sms: smsChannel(config.sms),
    wechat: createWechatSubscribeChannel(wechatConfig().official),
  };
}

export { clearDevMessages, createDevChannel, type DevMessage, listDevMessages } from "./dev";
export { classifyResendError, createResendChannel, type ResendChannelConfig } from "./email-resend";
export { createWechatSubscribeChannel } from "./wechat-subscribe";
export { type AliyunSmsConfig, createAliyunSmsChannel } from "./sms-aliyun";
export { createTencentSmsChannel, isRetryableTencentCode, type TencentSmsConfig } from "./sms-tencent";
export {
  type Attachment,
  type Channel,
  ChannelError,
  type ChannelKind,
  type ChannelMessage,
  type ChannelProvider,
  type SendResult,
  type SmsContent,
} from "./types";
