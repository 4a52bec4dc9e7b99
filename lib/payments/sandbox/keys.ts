import { generateKeyPairSync, randomBytes, randomInt, type KeyObject } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { AlipayConfig } from "../alipay";
import { certificateSerial } from "../keys";
import type { WechatConfig } from "../wechat";
import { selfSignedCertificate } from "./cert";

/**
 * Every key the sandbox needs, both the merchant's and the "gateway's", generated on first start
 * and kept as PEM files under `<dataDir>/keys/` (a .data/ path, never the repository) so the
 * demo keeps working across restarts. Nothing here is a real credential.
 */
export interface SandboxKeys {
  alipay: {
    appId: string;
    sellerId: string;
    appPrivateKey: string;
    appPublicKey: string;
    alipayPrivateKey: string;
    alipayPublicKey: string;
  };
  wechat: {
    appId: string;
    mchId: string;
    merchantPrivateKey: string;
    merchantCertificate: string;
    merchantSerial: string;
    platformPrivateKey: string;
    platformPublicKey: string;
    platformSerial: string;
    apiV3Key: string;
  };
}

const FILES = {
  alipayAppPrivate: "alipay-app-private.pem",
  alipayAppPublic: "alipay-app-public.pem",
  alipayPrivate: "alipay-gateway-private.pem",
  alipayPublic: "alipay-gateway-public.pem",
  merchantPrivate: "wechat-merchant-private.pem",
  merchantCert: "wechat-merchant-cert.pem",
  platformPrivate: "wechat-platform-private.pem",
  platformPublic: "wechat-platform-public.pem",
} as const;

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join("");
const pem = (k: KeyObject, type: "pkcs8" | "spki") => k.export({ type, format: "pem" }).toString();

function generate(dir: string): void {
  const pair = () => generateKeyPairSync("rsa", { modulusLength: 2048 });
  const write = (file: string, text: string) => writeFileSync(path.join(dir, file), text, { mode: 0o600 });
  const alipayApp = pair();
  const alipay = pair();
  const merchant = pair();
  const platform = pair();
  write(FILES.alipayAppPrivate, pem(alipayApp.privateKey, "pkcs8"));
  write(FILES.alipayAppPublic, pem(alipayApp.publicKey, "spki"));
  write(FILES.alipayPrivate, pem(alipay.privateKey, "pkcs8"));
  write(FILES.alipayPublic, pem(alipay.publicKey, "spki"));
  write(FILES.merchantPrivate, pem(merchant.privateKey, "pkcs8"));
  write(
    FILES.merchantCert,
    selfSignedCertificate({ commonName: "Yuyue Sandbox Merchant", organization: "Yuyue", ...merchant, now: new Date(), validDays: 3650 }),
  );
  write(FILES.platformPrivate, pem(platform.privateKey, "pkcs8"));
  write(FILES.platformPublic, pem(platform.publicKey, "spki"));
  const ids = {
    alipayAppId: `2021${digits(12)}`,
    alipaySellerId: `2088${digits(12)}`,
    wechatAppId: `wx${randomBytes(8).toString("hex")}`,
    wechatMchId: `1${digits(9)}`,
    wechatPlatformSerial: `PUB_KEY_ID_01${digits(26)}`,
    wechatApiV3Key: randomBytes(16).toString("hex"),
  };
  write("ids.json", JSON.stringify(ids, null, 2));
}

function read(dir: string): SandboxKeys {
  const file = (name: string) => readFileSync(path.join(dir, name), "utf8");
  const ids = JSON.parse(file("ids.json")) as Record<string, string>;
  const id = (k: string) => {
    const v = ids[k];
    if (!v) throw new Error(`sandbox keys in ${dir} lack ${k}: delete the folder to regenerate`);
    return v;
  };
  const cert = file(FILES.merchantCert);
  return {
    alipay: {
      appId: id("alipayAppId"),
      sellerId: id("alipaySellerId"),
      appPrivateKey: file(FILES.alipayAppPrivate),
      appPublicKey: file(FILES.alipayAppPublic),
      alipayPrivateKey: file(FILES.alipayPrivate),
      alipayPublicKey: file(FILES.alipayPublic),
    },
    wechat: {
      appId: id("wechatAppId"),
      mchId: id("wechatMchId"),
      merchantPrivateKey: file(FILES.merchantPrivate),
      merchantCertificate: cert,
      merchantSerial: certificateSerial(cert),
      platformPrivateKey: file(FILES.platformPrivate),
      platformPublicKey: file(FILES.platformPublic),
      platformSerial: id("wechatPlatformSerial"),
      apiV3Key: id("wechatApiV3Key"),
    },
  };
}

const loaded = new Map<string, SandboxKeys>();

/**
 * Loads the key set, generating it first if absent. Generation happens in a temporary folder
 * renamed into place, so two processes starting at once end up sharing one complete set.
 */
export function sandboxKeys(dataDir: string): SandboxKeys {
  const dir = path.resolve(dataDir, "keys");
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
  const keys = read(dir);
  loaded.set(dir, keys);
  return keys;
}

export interface SandboxMerchantConfig {
  alipay: AlipayConfig;
  wechat: WechatConfig;
}

/**
 * The merchant-side configuration that points the real providers at a sandbox gateway served at
 * `baseUrl` (e.g. http://localhost:3000/sandbox-gateway): no special code path in the providers.
 */
export function sandboxConfig(dataDir: string, baseUrl: string): SandboxMerchantConfig {
  const k = sandboxKeys(dataDir);
  const base = baseUrl.replace(/\/+$/, "");
  return {
    alipay: {
      appId: k.alipay.appId,
      sellerId: k.alipay.sellerId,
      privateKey: k.alipay.appPrivateKey,
      alipayPublicKey: k.alipay.alipayPublicKey,
      gateway: `${base}/alipay/gateway.do`,
    },
    wechat: {
      appId: k.wechat.appId,
      mchId: k.wechat.mchId,
      serialNo: k.wechat.merchantSerial,
      privateKey: k.wechat.merchantPrivateKey,
      certificate: k.wechat.merchantCertificate,
      platformPublicKey: k.wechat.platformPublicKey,
      platformSerial: k.wechat.platformSerial,
      apiV3Key: k.wechat.apiV3Key,
      baseUrl: `${base}/wechat`,
    },
  };
}
