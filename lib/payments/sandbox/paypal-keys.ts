import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { PaypalConfig } from "../paypal";
import { selfSignedCertificate } from "./cert";

/**
 * The PayPal stand-in's credentials, generated on first use under `<dataDir>/paypal-keys/` (apart
 * from the Alipay/WeChat set, so an existing sandbox folder gains them): the REST app's client id
 * and secret, the webhook id, and the key and certificate the stand-in signs webhooks with.
 * Nothing here is a real credential.
 */
export interface SandboxPaypalKeys {
  clientId: string;
  clientSecret: string;
  webhookId: string;
  /** Names the certificate in PAYPAL-CERT-URL, as PayPal's CERT-… ids do. */
  certId: string;
  signingKey: string;
  certificate: string;
}

const loaded = new Map<string, SandboxPaypalKeys>();

function generate(dir: string): void {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const certificate = selfSignedCertificate({
    commonName: "messageverificationcerts.sandbox.paypal.com",
    organization: "Yuyue Sandbox PayPal",
    privateKey,
    publicKey,
    now: new Date(),
    validDays: 3650,
  });
  const ids = {
    clientId: `SB-${randomBytes(24).toString("base64url")}`,
    clientSecret: randomBytes(32).toString("base64url"),
    webhookId: `WH-${randomBytes(8).toString("hex").toUpperCase()}`,
    certId: `CERT-${randomBytes(12).toString("hex")}`,
  };
  writeFileSync(path.join(dir, "signing-key.pem"), privateKey.export({ type: "pkcs8", format: "pem" }).toString(), { mode: 0o600 });
  writeFileSync(path.join(dir, "cert.pem"), certificate, { mode: 0o600 });
  writeFileSync(path.join(dir, "ids.json"), JSON.stringify(ids, null, 2), { mode: 0o600 });
}

/** Loads the set, generating it first if absent (in a temporary folder renamed into place, as sandboxKeys does). */
export function sandboxPaypalKeys(dataDir: string): SandboxPaypalKeys {
  const dir = path.resolve(dataDir, "paypal-keys");
  const cached = loaded.get(dir);
  if (cached) return cached;
  if (!existsSync(path.join(dir, "ids.json"))) {
    mkdirSync(dataDir, { recursive: true });
    const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
    mkdirSync(tmp, { mode: 0o700 });
    generate(tmp);
    try {
      renameSync(tmp, dir);
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another process won the race
    }
  }
  const file = (name: string) => readFileSync(path.join(dir, name), "utf8");
  const ids = JSON.parse(file("ids.json")) as Omit<SandboxPaypalKeys, "signingKey" | "certificate">;
  const keys = { ...ids, signingKey: file("signing-key.pem"), certificate: file("cert.pem") };
  loaded.set(dir, keys);
  return keys;
}

/** The merchant side pointed at the stand-in served at `<baseUrl>/paypal`; currency and rate as configured (USD at 7.2 by default). */
export function sandboxPaypalConfig(
  dataDir: string,
  baseUrl: string,
  e: { PAYPAL_CURRENCY?: string; PAYPAL_CNY_RATE?: string } = {},
): PaypalConfig {
  const k = sandboxPaypalKeys(dataDir);
  return {
    clientId: k.clientId,
    clientSecret: k.clientSecret,
    webhookId: k.webhookId,
    apiBase: `${baseUrl.replace(/\/+$/, "")}/paypal`,
    currency: (e.PAYPAL_CURRENCY ?? "USD").toUpperCase(),
    cnyPerUnit: e.PAYPAL_CNY_RATE ?? "7.2",
  };
}
