import "server-only";
import { appUrl, envFlag, env as processEnv, type Env } from "@/lib/env";
import { createAlipayProvider, type AlipayConfig } from "./alipay";
import { sandboxAllowed } from "./sandbox/allowed";
import { createSandboxGateway, SandboxError, type SandboxGateway } from "./sandbox/gateway";
import { sandboxConfig } from "./sandbox/keys";
import { createPaypalProvider, type PaypalConfig } from "./paypal";
import { sandboxPaypalConfig } from "./sandbox/paypal-keys";
import type { PaymentProvider, ProviderName } from "./types";
import { createWechatProvider, type WechatConfig } from "./wechat";

/**
 * Wiring: the one payments file that reads `env`. Each gateway runs on its real keys when they
 * are all set, otherwise on the embedded sandbox gateway (outside production), through the very
 * same provider code.
 */
export const SANDBOX_PATH_PREFIX = "/sandbox-gateway";
export const SANDBOX_DATA_DIR = ".data/sandbox-gateway";

export interface PaymentConfig {
  alipay: AlipayConfig;
  wechat: WechatConfig;
  /** Absent unless configured: PayPal is offered only then. */
  paypal?: PaypalConfig;
  /** Where each gateway's settings came from (PayPal: only when configured). */
  source: Record<"alipay" | "wechat", "env" | "sandbox"> & { paypal?: "env" | "sandbox" };
}

export class PaymentConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PaymentConfigError";
  }
}

const ALIPAY_KEYS = ["ALIPAY_APP_ID", "ALIPAY_PRIVATE_KEY", "ALIPAY_PUBLIC_KEY"] as const;
const WECHAT_KEYS = [
  "WECHATPAY_APPID",
  "WECHATPAY_MCHID",
  "WECHATPAY_PRIVATE_KEY",
  "WECHATPAY_CERT",
  "WECHATPAY_PLATFORM_PUBLIC_KEY",
  "WECHATPAY_PLATFORM_SERIAL",
  "WECHATPAY_APIV3_KEY",
] as const;
const PAYPAL_KEYS = ["PAYPAL_CLIENT_ID", "PAYPAL_CLIENT_SECRET", "PAYPAL_WEBHOOK_ID"] as const;

/** PayPal on its keys, or on the sandbox stand-in when asked for outside production; otherwise not offered. */
function paypalFromEnv(e: Env, sandbox: () => PaypalConfig): PaypalConfig | undefined {
  if (hasKeys(e, "PayPal", PAYPAL_KEYS)) {
    const currency = (e.PAYPAL_CURRENCY ?? "USD").toUpperCase();
    if (currency !== "CNY" && !e.PAYPAL_CNY_RATE) throw new PaymentConfigError(`PayPal in ${currency} needs PAYPAL_CNY_RATE`);
    return {
      clientId: req(e.PAYPAL_CLIENT_ID),
      clientSecret: req(e.PAYPAL_CLIENT_SECRET),
      webhookId: req(e.PAYPAL_WEBHOOK_ID),
      ...(e.PAYPAL_API_BASE ? { apiBase: e.PAYPAL_API_BASE } : {}),
      currency,
      cnyPerUnit: e.PAYPAL_CNY_RATE ?? "1",
    };
  }
  return paypalOnSandbox(e) ? sandbox() : undefined;
}

const paypalOnSandbox = (e: Env) => envFlag(e.PAYPAL_SANDBOX) && sandboxAllowed(e);

/** Whether this deployment offers PayPal (keys, some of them, or the stand-in): cheap, reads no keys. */
export const paypalOffered = (e: Env = processEnv) => PAYPAL_KEYS.some((k) => e[k] !== undefined) || paypalOnSandbox(e);

/** All required keys set → true; none → false; some → a config error (never half-live). */
function hasKeys(e: Env, gateway: string, keys: readonly (keyof Env)[]): boolean {
  const missing = keys.filter((k) => e[k] === undefined);
  if (missing.length === 0) return true;
  if (missing.length === keys.length) return false;
  throw new PaymentConfigError(`${gateway} is partly configured; missing ${missing.join(", ")}`);
}

const req = (v: string | undefined) => v ?? "";
const sandboxBase = (appBaseUrl: string) => `${appBaseUrl.replace(/\/+$/, "")}${SANDBOX_PATH_PREFIX}`;

export interface FromEnvOptions {
  /** Defaults to the parsed process env (lib/env). */
  env?: Env;
  /** Where the sandbox keeps its generated keys; defaults to SANDBOX_DATA_DIR. */
  sandboxDataDir?: string;
}

function fromEnv(appBaseUrl: string, e: Env, dataDir: string): PaymentConfig {
  const liveAlipay = hasKeys(e, "Alipay", ALIPAY_KEYS);
  const liveWechat = hasKeys(e, "WeChat Pay", WECHAT_KEYS);
  if ((!liveAlipay || !liveWechat) && !sandboxAllowed(e)) {
    throw new PaymentConfigError("gateway keys missing and the sandbox gateway is disabled in production");
  }
  // Keys only (read from disk): the gateway's state lives in the app server that mounts it, so a
  // separate worker process talks to it over HTTP like to any gateway.
  const sandbox = () => sandboxConfig(dataDir, sandboxBase(appBaseUrl));
  const alipay: AlipayConfig = liveAlipay
    ? {
        appId: req(e.ALIPAY_APP_ID),
        privateKey: req(e.ALIPAY_PRIVATE_KEY),
        alipayPublicKey: req(e.ALIPAY_PUBLIC_KEY),
        ...(e.ALIPAY_GATEWAY ? { gateway: e.ALIPAY_GATEWAY } : {}),
      }
    : sandbox().alipay;
  const wechat: WechatConfig = liveWechat
    ? {
        appId: req(e.WECHATPAY_APPID),
        mchId: req(e.WECHATPAY_MCHID),
        ...(e.WECHATPAY_SERIAL_NO ? { serialNo: e.WECHATPAY_SERIAL_NO } : {}),
        privateKey: req(e.WECHATPAY_PRIVATE_KEY),
        certificate: req(e.WECHATPAY_CERT),
        platformPublicKey: req(e.WECHATPAY_PLATFORM_PUBLIC_KEY),
        platformSerial: req(e.WECHATPAY_PLATFORM_SERIAL),
        apiV3Key: req(e.WECHATPAY_APIV3_KEY),
        ...(e.WECHATPAY_BASE_URL ? { baseUrl: e.WECHATPAY_BASE_URL } : {}),
      }
    : sandbox().wechat;
  const paypal = paypalFromEnv(e, () => sandboxPaypalConfig(dataDir, sandboxBase(appBaseUrl), e));
  const source = { alipay: liveAlipay ? "env" : "sandbox", wechat: liveWechat ? "env" : "sandbox" } as const;
  if (!paypal) return { alipay, wechat, source };
  return { alipay, wechat, paypal, source: { ...source, paypal: hasKeys(e, "PayPal", PAYPAL_KEYS) ? "env" : "sandbox" } };
}

const configs = new WeakMap<Env, Map<string, PaymentConfig>>();

/**
 * Memoised per env, base URL and data dir, so getProvider's cache (keyed on the config object)
 * holds. `appBaseUrl` is where the app (and so the mounted sandbox) is reachable.
 */
export function paymentConfigFromEnv(appBaseUrl: string = appUrl(), options: FromEnvOptions = {}): PaymentConfig {
  const e = options.env ?? processEnv;
  const dataDir = options.sandboxDataDir ?? SANDBOX_DATA_DIR;
  let memo = configs.get(e);
  if (!memo) configs.set(e, (memo = new Map()));
  const key = `${appBaseUrl}\n${dataDir}`;
  let config = memo.get(key);
  if (!config) memo.set(key, (config = fromEnv(appBaseUrl, e, dataDir)));
  return config;
}

/** Both gateways on the sandbox: what the API's `provider: "sandbox"` means. */
export function sandboxPaymentConfig(appBaseUrl: string = appUrl(), options: FromEnvOptions = {}): PaymentConfig {
  const { alipay, wechat } = sandboxGatewayFromEnv(appBaseUrl, options).merchantConfig;
  return { alipay, wechat, source: { alipay: "sandbox", wechat: "sandbox" } };
}

const notConfiguredPaypal = (): never => {
  throw new PaymentConfigError("PayPal is not configured");
};

const providers = new WeakMap<PaymentConfig, Partial<Record<ProviderName, PaymentProvider>>>();

export function getProvider(name: ProviderName, config: PaymentConfig): PaymentProvider {
  let built = providers.get(config);
  if (!built) providers.set(config, (built = {}));
  const existing = built[name];
  if (existing) return existing;
  const provider =
    name === "alipay"
      ? createAlipayProvider(config.alipay)
      : name === "wechat"
        ? createWechatProvider(config.wechat)
        : createPaypalProvider(config.paypal ?? notConfiguredPaypal());
  built[name] = provider;
  return provider;
}

// On globalThis: Next.js may load this module more than once (route handlers, server actions,
// dev reloads) and every copy must see the same in-memory orders.
const GATEWAYS = Symbol.for("yuyue.payments.sandboxGateways");
const registry = ((globalThis as Record<symbol, unknown>)[GATEWAYS] ??= new Map()) as Map<string, SandboxGateway>;

/** The app's embedded sandbox gateway (one per process), for the demo's pay page and tests. */
export function sandboxGatewayFromEnv(appBaseUrl: string = appUrl(), options: FromEnvOptions = {}): SandboxGateway {
  const baseUrl = sandboxBase(appBaseUrl);
  const dataDir = options.sandboxDataDir ?? SANDBOX_DATA_DIR;
  const key = `${baseUrl}\n${dataDir}`;
  let gateway = registry.get(key);
  if (!gateway) {
    gateway = createSandboxGateway({ dataDir, baseUrl, env: options.env ?? processEnv });
    registry.set(key, gateway);
  }
  return gateway;
}

/**
 * A gateway account as the API names it (`provider`): the wire protocols it speaks, in order of
 * preference, and its keys. Every payment row names one; a notify is checked against the accounts
 * that speak its protocol.
 */
export interface GatewayAccount {
  name: "alipay" | "wechat" | "sandbox" | "paypal";
  speaks: readonly ProviderName[];
  /** Throws PaymentConfigError when the account cannot be used here. */
  config(): PaymentConfig;
}

/**
 * The accounts this deployment has, by configuration: Alipay and WeChat Pay (on their keys, or on
 * the embedded sandbox outside production), PayPal when configured (paypalOffered), and the
 * sandbox account itself when sandboxAllowed.
 */
export function gatewayAccounts(e: Env = processEnv): GatewayAccount[] {
  const live = (name: "alipay" | "wechat"): GatewayAccount => ({ name, speaks: [name], config: () => paymentConfigFromEnv() });
  const accounts = [live("alipay"), live("wechat")];
  if (paypalOffered(e)) accounts.push({ name: "paypal", speaks: ["paypal"], config: () => paymentConfigFromEnv() });
  if (sandboxAllowed(e)) {
    accounts.push({
      name: "sandbox",
      speaks: ["alipay", "wechat"],
      config() {
        try {
          return sandboxPaymentConfig();
        } catch (err) {
          throw err instanceof SandboxError ? new PaymentConfigError(err.message) : err;
        }
      },
    });
  }
  return accounts;
}

/**
 * Entry point for the Next.js catch-all route at `/sandbox-gateway/[...path]`. Answers 404
 * (as if nothing were mounted) when the sandbox is not allowed.
 */
export async function handleSandboxRequest(req: Request): Promise<Response> {
  if (!sandboxAllowed(processEnv)) {
    return Response.json({ error: { code: "NOT_FOUND", message: "Not found" } }, { status: 404 });
  }
  return sandboxGatewayFromEnv().handle(req);
}
