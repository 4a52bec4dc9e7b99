import { createSign, createVerify } from "node:crypto";

/**
 * Alipay OpenAPI v2 signing rules, shared by the sandbox gateway (which plays Alipay) and the
 * tests. The merchant side lets alipay-sdk do this; these exist so the sandbox checks requests
 * the way Alipay does rather than the way the SDK happens to sign them.
 */
export type AlipayParams = Record<string, string>;

/**
 * The string Alipay signs: every non-empty field but `omit`, sorted by key, `k=v` joined by `&`,
 * values as decoded text (no URL encoding).
 */
export function alipaySignContent(params: AlipayParams, omit: readonly string[] = ["sign"]): string {
  return Object.keys(params)
    .filter((k) => !omit.includes(k) && params[k] !== undefined && params[k] !== "")
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join("&");
}

export function rsa2Sign(content: string, privateKeyPem: string): string {
  return createSign("RSA-SHA256").update(content, "utf8").sign(privateKeyPem, "base64");
}

export function rsa2Verify(content: string, signature: string, publicKeyPem: string): boolean {
  try {
    return createVerify("RSA-SHA256").update(content, "utf8").verify(publicKeyPem, signature, "base64");
  } catch {
    return false;
  }
}

/** Requests sign everything but `sign`; notifies also leave out `sign_type`. */
export function signAlipayNotify(fields: AlipayParams, alipayPrivateKey: string): AlipayParams {
  const sign = rsa2Sign(alipaySignContent(fields, ["sign", "sign_type"]), alipayPrivateKey);
  return { ...fields, sign_type: "RSA2", sign };
}

/**
 * A v2 API response: `{"<method>_response":{…},"sign":"…"}` where the signature covers the
 * exact JSON text of the inner object, so it is serialised once and embedded verbatim.
 */
export function signedAlipayResponse(method: string, inner: object, alipayPrivateKey: string): string {
  const key = method === "error" ? "error_response" : `${method.replaceAll(".", "_")}_response`;
  const json = JSON.stringify(inner);
  return `{"${key}":${json},"sign":"${rsa2Sign(json, alipayPrivateKey)}"}`;
}

/** Form fields of an urlencoded body; null when a key repeats (ambiguous, never from Alipay). */
export function parseForm(body: string): AlipayParams | null {
  const out: AlipayParams = {};
  for (const [k, v] of new URLSearchParams(body)) {
    if (k in out) return null;
    out[k] = v;
  }
  return out;
}
