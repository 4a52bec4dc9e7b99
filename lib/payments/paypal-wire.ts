import { createSign, createVerify, type KeyLike, type X509Certificate } from "node:crypto";
import { crc32 } from "node:zlib";
import { assertFen, MoneyFormatError } from "./money";
import { headerValue } from "./wechat-wire";

/**
 * PayPal's wire format, shared by the provider and the sandbox stand-in: amounts as decimal
 * strings in the order's currency, and the webhook signature (SHA256withRSA over
 * `transmission_id|transmission_time|webhook_id|crc32(body)`, the certificate named by
 * PAYPAL-CERT-URL). Parsing never goes through a float.
 */

/** Currencies PayPal takes without decimals; every other one it supports has two. */
const ZERO_DECIMAL = new Set(["JPY", "HUF", "TWD"]);
export const minorDigits = (currency: string) => (ZERO_DECIMAL.has(currency) ? 0 : 2);

/** 1234 USD → "12.34"; 1234 JPY → "1234". */
export function minorToValue(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor) || minor < 0) throw new MoneyFormatError(`not a minor amount: ${String(minor)}`);
  const digits = minorDigits(currency);
  if (digits === 0) return String(minor);
  const unit = 10 ** digits;
  return `${Math.floor(minor / unit)}.${String(minor % unit).padStart(digits, "0")}`;
}

/** "12.34" → 1234 (USD); rejects signs, exponents and more decimals than the currency has. */
export function valueToMinor(value: unknown, currency: string): number {
  const digits = minorDigits(currency);
  const m = typeof value === "string" ? /^(0|[1-9]\d{0,11})(?:\.(\d+))?$/.exec(value) : null;
  if (!m || (m[2] ?? "").length > digits) throw new MoneyFormatError(`not a ${currency} amount: ${JSON.stringify(value)}`);
  return Number(m[1]) * 10 ** digits + Number((m[2] ?? "").padEnd(digits, "0") || "0");
}

/** "7.2" → [72, 10]: the rate as an exact fraction (up to six decimals). */
function rateFraction(cnyPerUnit: string): [number, number] {
  const m = /^(\d{1,6})(?:\.(\d{1,6}))?$/.exec(cnyPerUnit.trim());
  if (!m) throw new MoneyFormatError(`not a rate: ${JSON.stringify(cnyPerUnit)}`);
  const decimals = (m[2] ?? "").length;
  const numerator = Number(`${m[1]}${m[2] ?? ""}`);
  if (numerator === 0) throw new MoneyFormatError("the rate must be above zero");
  return [numerator, 10 ** decimals];
}

/**
 * CNY fen → minor units of `currency` at `cnyPerUnit` yuan per unit, rounded half up, never
 * below one minor unit. Integer arithmetic: 8800 fen at 7.2 → 1222 cents (12.22 USD).
 */
export function fenToMinor(fen: number, currency: string, cnyPerUnit: string): number {
  assertFen(fen);
  if (currency === "CNY") return fen;
  const [num, den] = rateFraction(cnyPerUnit);
  // fen/100 yuan ÷ (num/den) yuan per unit × 10^digits minor per unit
  const top = BigInt(fen) * BigInt(den) * BigInt(10 ** minorDigits(currency));
  const bottom = BigInt(100 * num);
  const minor = Number((top * 2n + bottom) / (bottom * 2n));
  return Math.max(1, minor);
}

/**
 * A part of the payment in the order's currency, in proportion to what was charged: the whole
 * of it exactly, a part rounded down so refunds never add up to more than was captured.
 */
export function partOfMinor(partFen: number, totalFen: number, totalMinor: number): number {
  if (partFen >= totalFen) return totalMinor;
  return Number((BigInt(partFen) * BigInt(totalMinor)) / BigInt(totalFen));
}

export type HeaderBag = Headers | Record<string, string | string[] | undefined>;

export interface Transmission {
  transmissionId: string;
  transmissionTime: string;
  certUrl: string;
  authAlgo: string;
  signature: string;
}

/** The PAYPAL-* headers of a webhook delivery, or null when one is missing. */
export function transmissionOf(headers: HeaderBag): Transmission | null {
  const t = {
    transmissionId: headerValue(headers, "paypal-transmission-id"),
    transmissionTime: headerValue(headers, "paypal-transmission-time"),
    certUrl: headerValue(headers, "paypal-cert-url"),
    authAlgo: headerValue(headers, "paypal-auth-algo"),
    signature: headerValue(headers, "paypal-transmission-sig"),
  };
  const { transmissionId, transmissionTime, certUrl, authAlgo, signature } = t;
  if (!transmissionId || !transmissionTime || !certUrl || !authAlgo || !signature) return null;
  return { transmissionId, transmissionTime, certUrl, authAlgo, signature };
}

/** What PayPal signs: the body enters only as its CRC32 (unsigned decimal). */
export const signedString = (transmissionId: string, transmissionTime: string, webhookId: string, rawBody: string) =>
  `${transmissionId}|${transmissionTime}|${webhookId}|${crc32(Buffer.from(rawBody, "utf8")) >>> 0}`;

export function signTransmission(privateKey: KeyLike, transmissionId: string, time: string, webhookId: string, rawBody: string) {
  return createSign("sha256")
    .update(signedString(transmissionId, time, webhookId, rawBody))
    .sign(privateKey, "base64");
}

/** The signature check itself: SHA256withRSA with the certificate's key, over our own webhook id. */
export function transmissionVerifies(t: Transmission, webhookId: string, rawBody: string, cert: X509Certificate): boolean {
  if (t.authAlgo !== "SHA256withRSA") return false;
  try {
    return createVerify("sha256")
      .update(signedString(t.transmissionId, t.transmissionTime, webhookId, rawBody))
      .verify(cert.publicKey, t.signature, "base64");
  } catch {
    return false;
  }
}

export const PAYPAL_LIVE_API = "https://api-m.paypal.com";
