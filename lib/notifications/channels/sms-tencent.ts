import "server-only";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import tls from "node:tls";
import * as tencentcloud from "tencentcloud-sdk-nodejs-sms";
import { type Channel, ChannelError, type ChannelMessage, requireSms } from "./types";

export type TencentSmsConfig = {
  secretId: string;
  secretKey: string;
  /** The SMS application (SmsSdkAppId, "1400…"). */
  sdkAppId: string;
  /** The approved signature (签名) used when a message type has none of its own. */
  signName: string;
  region?: string;
  /**
   * Where to connect instead of sms.tencentcloudapi.com (a gateway or the local test server), as
   * an http(s):// origin. The request itself (Host, TC3 signature scope "sms") stays the real one.
   */
  endpoint?: string;
  timeoutMs?: number;
};

export const TENCENT_SMS_HOST = "sms.tencentcloudapi.com";

const SmsClient = tencentcloud.sms.v20210111.Client;

/** Mainland numbers as E.164 (+86…), which SendSms requires. */
export function tencentPhoneNumber(to: string): string {
  const compact = to.replace(/[\s-]/g, "");
  if (compact.startsWith("+")) return compact;
  return compact.startsWith("86") && compact.length === 13 ? `+${compact}` : `+86${compact}`;
}

/**
 * Provider-side and frequency faults clear up (InternalError.*, RequestLimitExceeded, per-number
 * 30-second/hour limits); bad numbers, templates, signatures, keys or an empty balance do not.
 * The daily per-number limit is permanent for this message: by tomorrow it is stale.
 */
export function isRetryableTencentCode(code: string): boolean {
  if (code.startsWith("InternalError") || code === "RequestLimitExceeded" || code === "ResourceUnavailable") return true;
  if (code === "LimitExceeded.PhoneNumberThirtySecondLimit" || code === "LimitExceeded.PhoneNumberOneHourLimit") return true;
  return code === "network";
}

type SdkError = { code?: unknown; message?: unknown; httpCode?: unknown; requestId?: unknown };

function fromThrown(cause: unknown): ChannelError {
  const e = (typeof cause === "object" && cause !== null ? cause : {}) as SdkError;
  const status = typeof e.httpCode === "number" ? e.httpCode : undefined;
  const code = typeof e.code === "string" && e.code !== "" ? e.code : status ? `HTTP${status}` : "network";
  const message = typeof e.message === "string" ? e.message : String(cause);
  // No API answer at all (timeout, connection cut): Tencent may have accepted the message.
  const noAnswer = code === "network";
  return new ChannelError(`Tencent SMS ${code}: ${message}`, {
    retryable: noAnswer || (status !== undefined && status >= 500) || isRetryableTencentCode(code),
    code,
    provider: "tencent",
    status,
    maybeDelivered: noAnswer,
    cause,
  });
}

/** An agent that opens every connection to `target` whatever host the URL names (curl's --connect-to). */
function connectTo(target: URL): http.Agent {
  const port = Number(target.port || (target.protocol === "https:" ? 443 : 80));
  if (target.protocol === "https:") {
    return new (class extends https.Agent {
      override createConnection(options: tls.ConnectionOptions) {
        return tls.connect({ ...options, host: target.hostname, port, servername: TENCENT_SMS_HOST });
      }
    })({ keepAlive: true });
  }
  return new (class extends http.Agent {
    override createConnection(_options: net.NetConnectOpts) {
      return net.connect({ host: target.hostname, port });
    }
  })({ keepAlive: true });
}

export function createTencentSmsChannel(config: TencentSmsConfig): Channel {
  const target = config.endpoint ? new URL(/^https?:\/\//i.test(config.endpoint) ? config.endpoint : `https://${config.endpoint}`) : null;
  const client = new SmsClient({
    credential: { secretId: config.secretId, secretKey: config.secretKey },
    region: config.region ?? "ap-guangzhou",
    profile: {
      httpProfile: {
        endpoint: TENCENT_SMS_HOST,
        protocol: target?.protocol === "http:" ? "http://" : "https://",
        reqTimeout: Math.ceil((config.timeoutMs ?? 10_000) / 1000),
        ...(target ? { agent: connectTo(target) } : {}),
      },
    },
  });

  return {
    kind: "sms",
    provider: "tencent",
    async send(message: ChannelMessage) {
      const sms = requireSms(message, "tencent");
      let response;
      try {
        response = await client.SendSms({
          PhoneNumberSet: [tencentPhoneNumber(message.to)],
          SmsSdkAppId: config.sdkAppId,
          SignName: sms.signName ?? config.signName,
          TemplateId: sms.templateCode,
          // Tencent templates number their variables {1}, {2}, …: the params in template order.
          TemplateParamSet: Object.values(sms.params),
          // Echoed in delivery receipts, so a receipt can be matched to its outbox row.
          SessionContext: message.idempotencyKey,
        });
      } catch (cause) {
        throw fromThrown(cause);
      }
      const status = response.SendStatusSet?.[0];
      if (!status)
        throw new ChannelError("Tencent SMS: no send status in the answer", {
          retryable: true,
          code: "EmptyResponse",
          provider: "tencent",
        });
      const code = status.Code ?? "EmptyResponse";
      if (code !== "Ok") {
        throw new ChannelError(`Tencent SMS ${code}: ${status.Message ?? ""} (request ${response.RequestId ?? "?"})`, {
          retryable: isRetryableTencentCode(code),
          code,
          provider: "tencent",
        });
      }
      return { providerMessageId: status.SerialNo || `tencent-request:${response.RequestId ?? message.idempotencyKey}` };
    },
  };
}
