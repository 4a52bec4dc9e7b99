/**
 * One interface for every outbound channel. The worker calls `send` once per delivery attempt and
 * decides from `ChannelError.retryable` whether to back off and retry or dead-letter the message.
 */

export type ChannelKind = "email" | "sms" | "wechat";
export type ChannelProvider = "resend" | "aliyun" | "tencent" | "wechat" | "dev";

export type Attachment = {
  filename: string;
  /** Text (encoded as UTF-8) or raw bytes; channels base64-encode it for the provider. */
  content: string | Uint8Array;
  contentType: string;
};

/** A registered provider template (China requires template SMS): code plus named variables. */
export type SmsContent = {
  templateCode: string;
  /** In the template's variable order (Tencent templates number their variables {1}, {2}, …). */
  params: Record<string, string>;
  /** The signature for this message type when it is not the provider's default. */
  signName?: string;
};

export type ChannelMessage = {
  /** Email address or phone number, depending on the channel. */
  to: string;
  title: string;
  text: string;
  html?: string;
  /** Required by SMS channels; ignored by email. */
  sms?: SmsContent;
  attachments?: Attachment[];
  /** WeChat subscribe messages: the template and its keywords (`to` is the openid). */
  wechat?: { templateId: string; page?: string; data: Record<string, string> };
  /** Stable per notification: the same key on a retry must not produce a second message. */
  idempotencyKey: string;
};

export type SendResult = { providerMessageId: string };

export interface Channel {
  readonly kind: ChannelKind;
  readonly provider: ChannelProvider;
  /** Resolves with the provider's id, or throws `ChannelError`. */
  send(message: ChannelMessage): Promise<SendResult>;
  /**
   * How long (seconds) the provider deduplicates on `idempotencyKey`: within it, sending the same
   * message again under the same key cannot produce a second one. Absent or 0: it does not.
   */
  readonly dedupSeconds?: number;
  /**
   * Asks the provider whether it accepted this message (by its idempotency key) since `since`:
   * the result when it did, null when it has no record of it. Providers that cannot tell leave it out.
   */
  findSent?(message: ChannelMessage, since: Date): Promise<SendResult | null>;
}

export class ChannelError extends Error {
  override readonly name = "ChannelError";
  /** True when the same message may succeed later (rate limits, 5xx, network). */
  readonly retryable: boolean;
  /** The provider's error code (e.g. `validation_error`, `isv.MOBILE_NUMBER_ILLEGAL`). */
  readonly code: string;
  readonly provider: ChannelProvider;
  /** HTTP status when the provider answered with one. */
  readonly status?: number;
  /**
   * True when the request may have reached the provider and been accepted although no answer
   * came back (a timeout, a connection cut mid-call): the message may have gone out.
   */
  readonly maybeDelivered: boolean;

  constructor(
    message: string,
    options: {
      retryable: boolean;
      code: string;
      provider: ChannelProvider;
      status?: number;
      maybeDelivered?: boolean;
      cause?: unknown;
    },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable;
    this.code = options.code;
    this.provider = options.provider;
    this.status = options.status;
    this.maybeDelivered = options.maybeDelivered ?? false;
  }
}

export function attachmentBase64(attachment: Attachment): string {
  const bytes = typeof attachment.content === "string" ? Buffer.from(attachment.content, "utf8") : Buffer.from(attachment.content);
  return bytes.toString("base64");
}

/** SMS channels share this guard so the dev transport fails exactly where a real provider would. */
export function requireSms(message: ChannelMessage, provider: ChannelProvider): SmsContent {
  if (!message.sms) {
    throw new ChannelError("SMS message has no template code and params", {
      retryable: false,
      code: "missing_sms_template",
      provider,
    });
  }
  return message.sms;
}
