import "server-only";
import type { Payment } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { getProvider, PaymentConfigError, paymentConfigFromEnv, sandboxPaymentConfig } from "./providers";
import { SandboxError } from "./sandbox/gateway";
import type { PaymentProvider, ProviderName } from "./types";

export type ApiProvider = "alipay" | "wechat" | "sandbox";

/**
 * The provider that speaks for a payment row: its wire protocol (`gateway`) with the keys of its
 * `provider` — the configured gateway, or the local sandbox for provider "sandbox".
 */
export function providerFor(p: Pick<Payment, "provider" | "gateway">): PaymentProvider {
  const gateway = p.gateway as ProviderName;
  try {
    const config = p.provider === "sandbox" ? sandboxPaymentConfig() : paymentConfigFromEnv();
    return getProvider(gateway, config);
  } catch (e) {
    if (e instanceof PaymentConfigError || e instanceof SandboxError) {
      console.error(`[payments] ${p.provider} is not usable: ${e.message}`);
      throw new AppError("PAYMENT_FAILED", "paymentNotConfigured");
    }
    throw e;
  }
}

/** Which protocol an API request's provider speaks ("sandbox" uses Alipay's unless WeChat is asked for). */
export function gatewayOf(provider: ApiProvider, channel?: string): ProviderName {
  if (provider === "sandbox") return channel?.startsWith("wechat") ? "wechat" : "alipay";
  return provider;
}

/** 32 characters of [0-9A-Z]: sortable by time, unique by 10 random characters. */
export function newTradeNo(prefix: "P" | "R"): string {
  const time = new Date()
    .toISOString()
    .replace(/[-:TZ.]/g, "")
    .slice(0, 17);
  const random = Array.from(crypto.getRandomValues(new Uint8Array(10)), (b) => "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"[b % 34]).join("");
  return `YY${prefix}${time}${random}`.slice(0, 32);
}
