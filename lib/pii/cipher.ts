import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import { normalizePhone } from "@/lib/validations/phone";
import { keyring, PiiKeyError } from "./keys";

/**
 * Personal data at rest: AES-256-GCM, a fresh 12-byte IV per value, the key id in the clear.
 * A stored value reads `pii1:<kid>:<base64url(iv ‖ ciphertext ‖ tag)>`. The key id is what rotation
 * goes by: any listed key decrypts, `pii:rotate` rewrites values whose kid is not the active one.
 */
export const PII_PREFIX = "pii1:";
const AAD = Buffer.from("yuyue-pii-v1");

export function isEncrypted(value: string): boolean {
  return value.startsWith(PII_PREFIX);
}

/** The key id a stored value was encrypted with, or null for a plaintext value not yet backfilled. */
export function keyIdOf(value: string): string | null {
  if (!isEncrypted(value)) return null;
  return value.slice(PII_PREFIX.length, value.indexOf(":", PII_PREFIX.length));
}

export function encryptPii(plaintext: string): string {
  const ring = keyring();
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", ring.keys.get(ring.activeKid)!, iv);
  cipher.setAAD(AAD);
  const body = Buffer.concat([iv, cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${PII_PREFIX}${ring.activeKid}:${body.toString("base64url")}`;
}

/** Decrypts a stored value; a value without the prefix is legacy plaintext (before the backfill) and returned as it is. */
export function decryptPii(stored: string): string {
  if (!isEncrypted(stored)) return stored;
  const kid = keyIdOf(stored)!;
  const key = keyring().keys.get(kid);
  if (!key) throw new PiiKeyError(`personal data was encrypted with key "${kid}", which PII_KEYS does not list`);
  const body = Buffer.from(stored.slice(PII_PREFIX.length + kid.length + 1), "base64url");
  const decipher = createDecipheriv("aes-256-gcm", key, body.subarray(0, 12));
  decipher.setAAD(AAD);
  decipher.setAuthTag(body.subarray(body.length - 16));
  return Buffer.concat([decipher.update(body.subarray(12, body.length - 16)), decipher.final()]).toString("utf8");
}

/**
 * The keyed hash (HMAC-SHA256 under PII_HMAC_KEY) of a phone number in its normalised spelling:
 * the column that sign-in, codes, uniqueness and staff search look numbers up by. Any spelling
 * of one number gives one hash; anything that is not a mainland mobile number hashes as given.
 */
export function phoneHash(phone: string): string {
  const normalised = normalizePhone(phone) ?? phone.trim();
  return createHmac("sha256", keyring().hmacKey).update(`phone:${normalised}`).digest("base64url");
}

/**
 * The keyed hash of an e-mail address (lower-cased), in the same key as phoneHash but its own
 * namespace: what e-mail sign-up codes are kept under (otp_codes.phone_hash), never the address.
 */
export function emailHash(email: string): string {
  return createHmac("sha256", keyring().hmacKey).update(`email:${email.trim().toLowerCase()}`).digest("base64url");
}

/** phoneHash, or null for no number (a column value to write beside the phone). */
export const phoneHashOrNull = (phone: string | null | undefined) => (phone ? phoneHash(phone) : null);
