import { createCipheriv, createDecipheriv, createSign, createVerify, randomBytes } from "node:crypto";

/**
 * WeChat Pay APIv3 message rules, shared by the provider (verifying the gateway) and the sandbox
 * gateway (playing it). Done with node:crypto because wechatpay-node-v3's `decipher_gcm` never
 * checks the GCM tag and the SDK does not verify responses at all.
 */

/** Responses and notifies are signed over `timestamp\nnonce\nbody\n` (body may be empty). */
export function wechatMessage(timestamp: string, nonce: string, body: string): string {
  return `${timestamp}\n${nonce}\n${body}\n`;
}

/** Requests are signed over `METHOD\nPATH?QUERY\ntimestamp\nnonce\nbody\n`. */
export function wechatRequestMessage(method: string, pathAndQuery: string, ts: string, nonce: string, body: string) {
  return `${method}\n${pathAndQuery}\n${ts}\n${nonce}\n${body}\n`;
}

export function signSha256Rsa(message: string, privateKeyPem: string): string {
  return createSign("RSA-SHA256").update(message, "utf8").sign(privateKeyPem, "base64");
}

export function verifySha256Rsa(message: string, signature: string, publicKeyPem: string): boolean {
  try {
    return createVerify("RSA-SHA256").update(message, "utf8").verify(publicKeyPem, signature, "base64");
  } catch {
    return false;
  }
}

export const TIMESTAMP_WINDOW_SECONDS = 300;

/** True when the decimal unix-seconds `timestamp` is within 5 minutes of `now`, either side. */
export function withinWindow(timestamp: string, now: Date, windowSeconds = TIMESTAMP_WINDOW_SECONDS): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(now.getTime() / 1000 - Number(timestamp)) <= windowSeconds;
}

export function nonceStr(bytes = 16): string {
  return randomBytes(bytes).toString("hex").toUpperCase();
}

export interface EncryptedResource {
  algorithm: "AEAD_AES_256_GCM";
  ciphertext: string;
  associated_data: string;
  nonce: string;
  original_type?: string;
}

const TAG_BYTES = 16;

/** AEAD_AES_256_GCM as WeChat uses it: ciphertext‖tag in base64, a 12-char text nonce. */
export function encryptResource(plaintext: string, apiV3Key: string, associatedData: string): EncryptedResource {
  const nonce = randomBytes(6).toString("hex");
  const cipher = createCipheriv("aes-256-gcm", Buffer.from(apiV3Key, "utf8"), Buffer.from(nonce, "utf8"));
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return { algorithm: "AEAD_AES_256_GCM", ciphertext: body.toString("base64"), associated_data: associatedData, nonce };
}

/** Decrypts and authenticates; throws when the tag does not match (tampered or wrong key). */
export function decryptResource(resource: { ciphertext: string; associated_data?: string; nonce: string }, apiV3Key: string): string {
  const data = Buffer.from(resource.ciphertext, "base64");
  if (data.length <= TAG_BYTES) throw new Error("ciphertext too short");
  const decipher = createDecipheriv("aes-256-gcm", Buffer.from(apiV3Key, "utf8"), Buffer.from(resource.nonce, "utf8"));
  decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
  decipher.setAAD(Buffer.from(resource.associated_data ?? "", "utf8"));
  // final() is what checks the tag: never use update()'s output without it.
  return Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]).toString("utf8");
}

/** Case-insensitive header lookup over a Fetch `Headers` or a Node-style header record. */
export function headerValue(headers: Headers | Record<string, string | string[] | undefined>, name: string) {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === wanted) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}
