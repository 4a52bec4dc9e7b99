import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";

/**
 * Key material from config: PEM text (also with literal "\n" as .env files often hold it), a
 * path to a PEM file, or the bare base64 body the Alipay console hands out. Every key is parsed
 * here so a wrong key fails at start-up, not at the first payment, and is returned in one
 * canonical PEM form: private keys as PKCS#8 (alipay-sdk with keyType PKCS8 mangles a PKCS#1
 * key), public keys as SPKI.
 */
export type KeyKind = "private" | "public" | "certificate";

const LABEL: Record<KeyKind, string> = {
  private: "PRIVATE KEY",
  public: "PUBLIC KEY",
  certificate: "CERTIFICATE",
};

export class KeyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KeyConfigError";
  }
}

type Material = { pem: string } | { der: Buffer };

function readMaterial(value: string, what: string): Material {
  const text = value.trim().replace(/\\n/g, "\n");
  if (text.includes("-----BEGIN")) return { pem: text };
  if (existsSync(text)) return { pem: readFileSync(text, "utf8") };
  const body = text.replace(/\s+/g, "");
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(body) && body.length >= 64) return { der: Buffer.from(body, "base64") };
  // Never echo the value: it may be a secret pasted into the wrong variable.
  throw new KeyConfigError(`${what}: neither PEM text, an existing file, nor base64 key data`);
}

function parse(m: Material, kind: KeyKind): string {
  if (kind === "certificate") return new X509Certificate("pem" in m ? m.pem : m.der).toString();
  if (kind === "public") {
    // createPublicKey also accepts a certificate or a private key and yields its public half.
    const key = "pem" in m ? createPublicKey(m.pem) : createPublicKey({ key: m.der, format: "der", type: "spki" });
    return key.export({ type: "spki", format: "pem" }).toString();
  }
  if ("pem" in m) return createPrivateKey(m.pem).export({ type: "pkcs8", format: "pem" }).toString();
  // Bare base64 from the Alipay key tool is PKCS#8 ("Java") or PKCS#1 ("non-Java").
  let key;
  try {
    key = createPrivateKey({ key: m.der, format: "der", type: "pkcs8" });
  } catch {
    key = createPrivateKey({ key: m.der, format: "der", type: "pkcs1" });
  }
  return key.export({ type: "pkcs8", format: "pem" }).toString();
}

/** Canonical PEM for `value`; `what` names the setting in error messages. */
export function loadKey(value: string, kind: KeyKind, what = "key"): string {
  const material = readMaterial(value, what);
  try {
    return parse(material, kind);
  } catch (e) {
    throw new KeyConfigError(`${what}: cannot parse as ${LABEL[kind]} (${(e as Error).message})`);
  }
}

/** The certificate's serial as WeChat prints it: upper-case hex, no separators. */
export function certificateSerial(certPem: string): string {
  return new X509Certificate(certPem).serialNumber.toUpperCase();
}

/** True when the certificate was issued for this private key (catches swapped files). */
export function certificateMatchesKey(certPem: string, privateKeyPem: string): boolean {
  return new X509Certificate(certPem).checkPrivateKey(createPrivateKey(privateKeyPem));
}
