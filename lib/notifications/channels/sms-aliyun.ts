import "server-only";
import DysmsapiExport, { QuerySendDetailsRequest, SendSmsRequest, type SendSmsResponseBody } from "@alicloud/dysmsapi20170525";
import { $OpenApiUtil } from "@alicloud/openapi-core";
import { DateTime } from "luxon";
import { type Channel, ChannelError, type ChannelMessage, requireSms } from "./types";

export type AliyunSmsConfig = {
  accessKeyId: string;
  accessKeySecret: string;
  /** The approved signature (签名), shown as 【SignName】 before every message. */
  signName: string;
  /** Host (dysmsapi.aliyuncs.com by default), host:port, or a full http(s):// origin. */
  endpoint?: string;
  timeoutMs?: number;
};

export const ALIYUN_DEFAULT_ENDPOINT = "dysmsapi.aliyuncs.com";

// The package is CommonJS with `exports.default = Client`: bundlers hand over the class, Node's
// ESM loader (vitest, tsx workers) the whole exports object. Accept both.
const Dysmsapi: typeof DysmsapiExport = (DysmsapiExport as unknown as { default?: typeof DysmsapiExport }).default ?? DysmsapiExport;

const LOCAL_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)(?::\d+)?$/i;

/** The SDK takes a bare host (it sends it as the Host header) and a separate protocol. */
export function aliyunEndpoint(endpoint: string = ALIYUN_DEFAULT_ENDPOINT): { host: string; protocol: "http" | "https" } {
  if (/^https?:\/\//i.test(endpoint)) {
    const url = new URL(endpoint);
    return { host: url.host, protocol: url.protocol === "http:" ? "http" : "https" };
  }
  return { host: endpoint, protocol: LOCAL_HOST.test(endpoint) ? "http" : "https" };
}

/** Mainland numbers go without +86; other countries as country code + number, no "+". */
export function aliyunPhoneNumber(to: string): string {
  const compact = to.replace(/[\s-]/g, "");
  if (compact.startsWith("+86")) return compact.slice(3);
  return compact.startsWith("+") ? compact.slice(1) : compact;
}

/** Per-number frequency limits and provider-side faults clear up; bad numbers, templates or balance do not. */
const RETRYABLE_CODES = new Set(["isv.BUSINESS_LIMIT_CONTROL", "SignatureNonceUsed", "ServiceUnavailable", "InternalError"]);

export function isRetryableAliyunCode(code: string): boolean {
  return RETRYABLE_CODES.has(code) || code.startsWith("isp.") || code.includes("Throttling");
}

/** SendSms answers HTTP 200 with a business `Code`; only "OK" means the message was accepted. */
function fromBody(body: SendSmsResponseBody | undefined): ChannelError | undefined {
  const code = body?.code ?? "EmptyResponse";
  if (code === "OK") return undefined;
  return new ChannelError(`Aliyun SMS ${code}: ${body?.message ?? ""} (request ${body?.requestId ?? "?"})`, {
    retryable: isRetryableAliyunCode(code),
    code,
    provider: "aliyun",
  });
}

/** The SDK throws ClientError (4xx), ThrottlingError or ServerError (5xx), or a bare network error. */
function fromThrown(cause: unknown): ChannelError {
  const e = (typeof cause === "object" && cause !== null ? cause : {}) as { statusCode?: unknown; code?: unknown; message?: unknown };
  const status = typeof e.statusCode === "number" ? e.statusCode : undefined;
  const code = typeof e.code === "string" ? e.code : "network";
  const retryable = status === undefined || status >= 500 || status === 429 || isRetryableAliyunCode(code);
  const message = typeof e.message === "string" ? e.message : String(cause);
  // No HTTP answer (timeout, connection cut): Aliyun may have accepted the message all the same.
  return new ChannelError(`Aliyun SMS ${code}: ${message}`, {
    retryable,
    code,
    provider: "aliyun",
    status,
    maybeDelivered: status === undefined,
    cause,
  });
}

/** Aliyun keeps send records by day in Beijing time; QuerySendDetails answers at most 50 a page. */
const QUERY_PAGE_SIZE = 50;
const QUERY_MAX_PAGES = 20;
const ALIYUN_ZONE = "Asia/Shanghai";

/** The Beijing-time days (yyyyMMdd) from `since` to now, oldest first (at most the last 30). */
export function aliyunSendDates(since: Date, now: Date = new Date()): string[] {
  const last = DateTime.fromJSDate(now, { zone: ALIYUN_ZONE }).startOf("day");
  let day = DateTime.fromJSDate(since, { zone: ALIYUN_ZONE }).startOf("day");
  if (last.diff(day, "days").days > 29) day = last.minus({ days: 29 });
  const out: string[] = [];
  for (; day <= last; day = day.plus({ days: 1 })) out.push(day.toFormat("yyyyLLdd"));
  return out;
}

export function createAliyunSmsChannel(config: AliyunSmsConfig): Channel {
  const { host, protocol } = aliyunEndpoint(config.endpoint);
  const timeout = config.timeoutMs ?? 10_000;
  const client = new Dysmsapi(
    new $OpenApiUtil.Config({
      accessKeyId: config.accessKeyId,
      accessKeySecret: config.accessKeySecret,
      endpoint: host,
      protocol,
      readTimeout: timeout,
      connectTimeout: Math.min(timeout, 5_000),
    }),
  );

  return {
    kind: "sms",
    provider: "aliyun",
    async send(message: ChannelMessage) {
      const sms = requireSms(message, "aliyun");
      const request = new SendSmsRequest({
        phoneNumbers: aliyunPhoneNumber(message.to),
        signName: sms.signName ?? config.signName,
        templateCode: sms.templateCode,
        templateParam: JSON.stringify(sms.params),
        // Echoed in delivery receipts and send records. Aliyun does not deduplicate on it, so an
        // attempt whose answer was lost is never simply retried: `findSent` looks for this outId.
        outId: message.idempotencyKey,
      });
      let body: SendSmsResponseBody | undefined;
      try {
        body = (await client.sendSms(request)).body;
      } catch (cause) {
        throw fromThrown(cause);
      }
      const failure = fromBody(body);
      if (failure) throw failure;
      return { providerMessageId: body?.bizId ?? `aliyun-request:${body?.requestId ?? message.idempotencyKey}` };
    },

    /**
     * SendSms has no idempotency key, so an attempt whose answer never came is settled by asking
     * QuerySendDetails for the number's records since then and looking for our `outId`. A record
     * means Aliyun accepted the message (whatever its delivery receipt later says).
     */
    async findSent(message: ChannelMessage, since: Date) {
      const phoneNumber = aliyunPhoneNumber(message.to);
      for (const sendDate of aliyunSendDates(since)) {
        for (let currentPage = 1; currentPage <= QUERY_MAX_PAGES; currentPage++) {
          let body;
          try {
            body = (
              await client.querySendDetails(new QuerySendDetailsRequest({ phoneNumber, sendDate, pageSize: QUERY_PAGE_SIZE, currentPage }))
            ).body;
          } catch (cause) {
            throw fromThrown(cause);
          }
          if (body?.code !== "OK") {
            const code = body?.code ?? "EmptyResponse";
            throw new ChannelError(`Aliyun SMS QuerySendDetails ${code}: ${body?.message ?? ""}`, {
              retryable: isRetryableAliyunCode(code) || code === "EmptyResponse",
              code,
              provider: "aliyun",
            });
          }
          const records = body.smsSendDetailDTOs?.smsSendDetailDTO ?? [];
          if (records.some((r) => r.outId === message.idempotencyKey)) {
            return { providerMessageId: `aliyun-out:${message.idempotencyKey}` };
          }
          if (records.length < QUERY_PAGE_SIZE) break;
        }
      }
      return null;
    },
  };
}
