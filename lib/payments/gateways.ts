import "server-only";
import type { Payment } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { gatewayAccounts, getProvider, PaymentConfigError, type GatewayAccount } from "./providers";
import type { GatewayOrder, PayChannel, PaymentProvider, ProviderName } from "./types";
import { log } from "@/lib/log";

export type ApiProvider = GatewayAccount["name"];

const notConfigured = (name: string, why: string) => {
  log.error(`[payments] ${name} is not usable: ${why}`);
  return new AppError("PAYMENT_FAILED", "paymentNotConfigured");
};

function account(name: string): GatewayAccount {
  const found = gatewayAccounts().find((a) => a.name === name);
  if (!found) throw notConfigured(name, "no such gateway account is configured");
  return found;
}

function providerOf(a: GatewayAccount, gateway: ProviderName): PaymentProvider {
  try {
    return getProvider(gateway, a.config());
  } catch (e) {
    if (e instanceof PaymentConfigError) throw notConfigured(a.name, e.message);
    throw e;
  }
}

/** The provider that speaks for a payment row: its wire protocol (`gateway`) with the keys of its account (`provider`). */
export function providerFor(p: Pick<Payment, "provider" | "gateway">): PaymentProvider {
  return providerOf(account(p.provider), p.gateway as ProviderName);
}

/**
 * Every usable account's provider for a protocol, in configuration order: the keys a notify may be
 * signed with. An account without keys (live Alipay on a sandbox-only install) signed nothing.
 */
export function providersSpeaking(gateway: ProviderName): PaymentProvider[] {
  return gatewayAccounts()
    .filter((a) => a.speaks.includes(gateway))
    .flatMap((a) => {
      try {
        return [getProvider(gateway, a.config())];
      } catch (e) {
        if (e instanceof PaymentConfigError) return [];
        throw e;
      }
    });
}

/**
 * Which protocol an API request's account speaks: its first one that offers the channel (QR when
 * none is asked for). A provider this install has no keys for is the caller's choice to change: 400.
 */
export function gatewayOf(provider: ApiProvider, channel: PayChannel = "qr"): ProviderName {
  const a = gatewayAccounts().find((g) => g.name === provider);
  const usable = (() => {
    try {
      return a?.speaks.some((g) => getProvider(g, a.config())) ?? false;
    } catch (e) {
      if (e instanceof PaymentConfigError) return false;
      throw e;
    }
  })();
  if (!a || !usable) {
    const fieldErrors = { provider: ["paymentProviderUnavailable"] };
    throw new AppError("VALIDATION_FAILED", "paymentProviderUnavailable", { fieldErrors }, { field: "provider" });
  }
  const [first, ...others] = a.speaks;
  if (!first) throw notConfigured(provider, "the account speaks no protocol");
  if (others.length === 0) return first;
  return a.speaks.find((g) => providerOf(a, g).channels.includes(channel)) ?? first;
}

/** What the gateway assigned at creation, kept on the row (PayPal's order, its currency, and the capture once paid). */
export function gatewayOrderOf(
  p: Pick<Payment, "gatewayOrderId" | "currency" | "currencyAmount" | "gatewayTradeNo">,
): GatewayOrder | undefined {
  if (!p.gatewayOrderId || !p.currency || !p.currencyAmount) return undefined;
  return {
    orderId: p.gatewayOrderId,
    currency: p.currency,
    amountMinor: p.currencyAmount,
    ...(p.gatewayTradeNo ? { captureId: p.gatewayTradeNo } : {}),
  };
}

/**
 * Whether the amount a gateway reports is what the payment row says: fen, or for a payment in
 * another currency (PayPal) that currency and its minor units. Nothing reported: nothing to compare.
 */
export function amountMatches(
  p: Pick<Payment, "amountFen" | "currency" | "currencyAmount">,
  reported: { amountFen?: number; currency?: string; amountMinor?: number },
): boolean {
  if (reported.currency === undefined && reported.amountMinor === undefined && reported.amountFen === undefined) return true;
  if (reported.currency !== undefined || reported.amountMinor !== undefined || p.currency)
    return reported.currency === p.currency && reported.amountMinor === p.currencyAmount;
  return reported.amountFen === p.amountFen;
}

/**
 * 32 characters of [0-9A-Z]: sortable by time, unique by 10 random characters. P: a gateway order,
 * R: a refund, D: a desk payment (never sent to a gateway).
 */
export function newTradeNo(prefix: "P" | "R" | "D"): string {
  const time = new Date()
    .toISOString()
    .replace(/[-:TZ.]/g, "")
    .slice(0, 17);
  const random = Array.from(crypto.getRandomValues(new Uint8Array(10)), (b) => "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"[b % 34]).join("");
  return `YY${prefix}${time}${random}`.slice(0, 32);
}
