import "server-only";
import { type ErrorResponse, Resend } from "resend";
import { attachmentBase64, type Channel, ChannelError, type ChannelMessage } from "./types";

export type ResendChannelConfig = {
  apiKey: string;
  /** Sender mailbox, e.g. "Yuyue <noreply@yuyue.local>" (MAIL_FROM). */
  from: string;
  /** API origin; defaults to https://api.resend.com. Tests point it at a local server. */
  baseUrl?: string;
  /** Per-request timeout; the SDK itself has none. */
  timeoutMs?: number;
};

export const RESEND_DEFAULT_BASE_URL = "https://api.resend.com";

/**
 * Resend keeps an idempotency key for 24 hours. Claimed a little shorter, so a re-send near the
 * end of the window cannot arrive just after the provider forgot the key.
 */
export const RESEND_DEDUP_SECONDS = 23 * 3600;

/** 4xx that clear up: the same key still in flight elsewhere, or a rate limit. */
const RETRYABLE_4XX = new Set<string>(["concurrent_idempotent_requests", "rate_limit_exceeded"]);
/** Request or account problems that fail the same way every time. */
const PERMANENT = new Set<string>([
  "validation_error",
  "missing_required_field",
  "invalid_parameter",
  "invalid_attachment",
  "invalid_from_address",
  "invalid_idempotency_key",
  "invalid_idempotent_request",
  "missing_api_key",
  "invalid_api_key",
  "restricted_api_key",
  "invalid_access",
  "invalid_region",
  "not_found",
  "method_not_allowed",
  "security_error",
]);

/**
 * Resend 6.x never throws: network failures and HTTP errors both come back as `{ error }`. The SDK
 * does not expose the HTTP status: `statusCode` is what a JSON error body says, the real status
 * when the body was not JSON, and `null` when no answer came (network, timeout).
 */
export function classifyResendError(error: ErrorResponse): ChannelError {
  const status = typeof error.statusCode === "number" ? error.statusCode : undefined;
  const retryable =
    status === undefined ? !PERMANENT.has(error.name) : status === 408 || status === 429 || status >= 500 || RETRYABLE_4XX.has(error.name);
  return new ChannelError(`Resend ${error.name}: ${error.message}`, {
    retryable,
    code: error.name ?? "unknown",
    provider: "resend",
    status,
    // No answer at all (network, timeout): the request may have been accepted.
    maybeDelivered: status === undefined && retryable,
  });
}

export function createResendChannel(config: ResendChannelConfig): Channel {
  // Pass baseUrl explicitly: without it the SDK reads process.env.RESEND_BASE_URL when constructed.
  // The SDK joins `${baseUrl}${path}`, so a trailing slash would produce `//emails`.
  const client = new Resend(config.apiKey, {
    baseUrl: (config.baseUrl ?? RESEND_DEFAULT_BASE_URL).replace(/\/+$/, ""),
  });
  const timeoutMs = config.timeoutMs ?? 15_000;

  return {
    kind: "email",
    provider: "resend",
    dedupSeconds: RESEND_DEDUP_SECONDS,
    async send(message: ChannelMessage) {
      let result: Awaited<ReturnType<typeof client.emails.send>>;
      try {
        result = await client.emails.send(
          {
            from: config.from,
            to: message.to,
            subject: message.title,
            text: message.text,
            html: message.html,
            attachments: message.attachments?.map((a) => ({
              filename: a.filename,
              content: attachmentBase64(a),
              contentType: a.contentType,
            })),
          },
          // Sent as the `Idempotency-Key` header; Resend keeps it 24 h, so a retried job sends once.
          { idempotencyKey: message.idempotencyKey, signal: AbortSignal.timeout(timeoutMs) },
        );
      } catch (cause) {
        throw new ChannelError("Resend request failed", {
          retryable: true,
          code: "network",
          provider: "resend",
          maybeDelivered: true,
          cause,
        });
      }
      if (result.error) throw classifyResendError(result.error);
      if (!result.data?.id) {
        throw new ChannelError("Resend answered without an email id", { retryable: true, code: "no_id", provider: "resend" });
      }
      return { providerMessageId: result.data.id };
    },
  };
}
