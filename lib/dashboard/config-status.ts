import "server-only";
import { env, envFlag, type Env } from "@/lib/env";
import { sandboxAllowed } from "@/lib/payments/sandbox/allowed";

export type ProviderStatus = {
  name: string;
  state: "configured" | "partial" | "not_configured" | "embedded";
  missing: string[];
  note?: string;
};

const PAYPAL_KEYS = ["PAYPAL_CLIENT_ID", "PAYPAL_CLIENT_SECRET", "PAYPAL_WEBHOOK_ID"] as const;

/** Which of a provider's keys are set, by name only: values (secrets) never leave this function. */
function keys(
  name: string,
  required: readonly (keyof Env)[],
  e: Env,
  fallback: ProviderStatus["state"] = "not_configured",
  note?: string,
): ProviderStatus {
  const missing = required.filter((k) => e[k] === undefined).map(String);
  const state = missing.length === 0 ? "configured" : missing.length === required.length ? fallback : "partial";
  return { name, state, missing: state === "partial" ? missing : [], note };
}

/**
 * The admin's view of what this deployment talks to. A gateway without keys runs on the embedded
 * sandbox outside production; email and SMS without keys go to the dev transport staff can read.
 */
export function configStatus(e: Env = env) {
  const sandbox = sandboxAllowed(e);
  const fallbackPay: ProviderStatus["state"] = sandbox ? "embedded" : "not_configured";
  return {
    payments: [
      keys(
        "alipay",
        ["ALIPAY_APP_ID", "ALIPAY_PRIVATE_KEY", "ALIPAY_PUBLIC_KEY"],
        e,
        fallbackPay,
        e.ALIPAY_GATEWAY ? "custom gateway URL" : undefined,
      ),
      keys(
        "wechat",
        [
          "WECHATPAY_APPID",
          "WECHATPAY_MCHID",
          "WECHATPAY_PRIVATE_KEY",
          "WECHATPAY_CERT",
          "WECHATPAY_PLATFORM_PUBLIC_KEY",
          "WECHATPAY_PLATFORM_SERIAL",
          "WECHATPAY_APIV3_KEY",
        ],
        e,
        fallbackPay,
      ),
      // PayPal is listed only where it is offered at all (its keys, some of them, or the stand-in).
      ...(PAYPAL_KEYS.some((k) => e[k] !== undefined) || (envFlag(e.PAYPAL_SANDBOX) && sandbox)
        ? [keys("paypal", PAYPAL_KEYS, e, "embedded", e.PAYPAL_API_BASE ? "custom API base" : undefined)]
        : []),
    ],
    notifications: [
      keys("email (Resend)", ["RESEND_API_KEY"], e, "embedded", e.MAIL_FROM),
      e.SMS_PROVIDER && e.SMS_PROVIDER !== "dev"
        ? keys(`sms (${e.SMS_PROVIDER})`, ["SMS_ACCESS_KEY_ID", "SMS_ACCESS_KEY_SECRET", "SMS_SIGN_NAME"], e)
        : ({ name: "sms", state: "embedded", missing: [] } satisfies ProviderStatus),
    ],
    infrastructure: [
      {
        name: "database",
        state: e.DATABASE_URL ? "configured" : "embedded",
        missing: [],
        note: e.DATABASE_URL ? `PostgreSQL${e.DATABASE_REPLICA_URLS ? " + replicas" : ""}` : "PGlite",
      },
      {
        name: "cache",
        state: e.REDIS_URL || (e.UPSTASH_REDIS_REST_URL && e.UPSTASH_REDIS_REST_TOKEN) ? "configured" : "embedded",
        missing: [],
        note: e.REDIS_URL ? "Redis" : e.UPSTASH_REDIS_REST_URL ? "Upstash" : "memory",
      },
      { name: "app url", state: e.APP_URL ? "configured" : "not_configured", missing: e.APP_URL ? [] : ["APP_URL"] },
    ] satisfies ProviderStatus[],
  };
}
