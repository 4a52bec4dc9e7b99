import { z } from "zod";

/**
 * The one place that reads process.env. Everything else imports `env`.
 * Empty strings count as unset so `.env` files can list keys without values.
 */
const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

/** The one reading of a boolean switch in the environment: 1, true, yes or on (any case) are on; anything else, or unset, is off. */
export function envFlag(value: string | undefined): boolean {
  return ["1", "true", "yes", "on"].includes((value ?? "").trim().toLowerCase());
}

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().positive().default(3000),
  APP_URL: optional,
  AUTH_SECRET: optional,

  DATABASE_URL: optional,
  DATABASE_REPLICA_URLS: optional,
  PGLITE_DATA_DIR: z.string().default(".data/pglite"),
  DATABASE_POOL_MAX: z.coerce.number().int().positive().default(10),
  /** Opening a connection (TCP + startup + auth) gives up after this: a request then answers 503. */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().positive().default(2000),
  /** An unused pooled connection is closed after this (0: kept). */
  DATABASE_IDLE_TIMEOUT_MS: z.coerce.number().int().nonnegative().default(60_000),
  /** Server-side cap on one statement (PostgreSQL statement_timeout; 0: none). */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().nonnegative().default(10_000),
  /** A session idle inside an open transaction is ended by the server after this (0: never). */
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().nonnegative().default(30_000),
  /** Longest pause between reconnect attempts after connections fail (postgres.js backs off up to 20 s by default). */
  DATABASE_RECONNECT_MAX_DELAY_MS: z.coerce.number().int().nonnegative().default(500),

  REDIS_URL: optional,
  UPSTASH_REDIS_REST_URL: optional,
  UPSTASH_REDIS_REST_TOKEN: optional,
  CACHE_PREFIX: z.string().default("yuyue:"),
  /** Redis over TCP: connecting (handshake included) and each command give up after these. */
  CACHE_CONNECT_TIMEOUT_MS: z.coerce.number().int().positive().default(1000),
  CACHE_COMMAND_TIMEOUT_MS: z.coerce.number().int().positive().default(1000),
  /** Upstash: each HTTP request gives up after this. */
  CACHE_REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(1000),

  /** Run job workers inside the app server. Always on for the embedded database. */
  RUN_WORKERS_IN_APP: optional,

  /** Reverse proxies whose X-Forwarded-For/-Host are believed: comma-separated addresses or CIDR ranges. */
  TRUSTED_PROXIES: optional,
  /** Multiplies every rate limit (load tests and browser suites drive many users from one address). */
  RATE_LIMIT_FACTOR: z.coerce.number().positive().default(1),
  /** `db:seed` also creates the demo accounts (the demo and the tests only). */
  SEED_DEMO_ACCOUNTS: optional,

  /** Personal data at rest (lib/pii/keys.ts): AES-256-GCM keys `kid:base64,…` (first encrypts) and the lookup-hash key. */
  PII_KEYS: optional,
  PII_HMAC_KEY: optional,

  BUSINESS_TIMEZONE: z.string().default("Asia/Shanghai"),

  ALIPAY_APP_ID: optional,
  ALIPAY_PRIVATE_KEY: optional,
  ALIPAY_PUBLIC_KEY: optional,
  ALIPAY_GATEWAY: optional,
  WECHATPAY_APPID: optional,
  WECHATPAY_MCHID: optional,
  WECHATPAY_SERIAL_NO: optional,
  WECHATPAY_PRIVATE_KEY: optional,
  WECHATPAY_CERT: optional,
  WECHATPAY_PLATFORM_PUBLIC_KEY: optional,
  WECHATPAY_PLATFORM_SERIAL: optional,
  WECHATPAY_APIV3_KEY: optional,
  WECHATPAY_BASE_URL: optional,
  SANDBOX_GATEWAY_ENABLED: optional,
  /** PayPal (Orders v2 REST): the REST app's credentials and the webhook it verifies notices against. */
  PAYPAL_CLIENT_ID: optional,
  PAYPAL_CLIENT_SECRET: optional,
  PAYPAL_WEBHOOK_ID: optional,
  /** Default https://api-m.paypal.com (live); https://api-m.sandbox.paypal.com for PayPal's own sandbox. */
  PAYPAL_API_BASE: optional,
  /** The currency customers pay in at PayPal (PayPal takes CNY from few merchants): default USD. */
  PAYPAL_CURRENCY: optional,
  /** Yuan per one unit of PAYPAL_CURRENCY (e.g. 7.2): CNY prices convert at this rate. Required with live keys unless the currency is CNY. */
  PAYPAL_CNY_RATE: optional,
  /** Outside production with no PayPal keys: offer PayPal on the embedded sandbox stand-in (the demo and browser tests). */
  PAYPAL_SANDBOX: optional,
  /** WeChat official account (公众号) web OAuth: its AppSecret, and the API base (default https://api.weixin.qq.com). */
  WECHAT_APP_SECRET: optional,
  WECHAT_API_BASE_URL: optional,
  /** Where the browser is sent to authorise (default https://open.weixin.qq.com). */
  WECHAT_OPEN_BASE_URL: optional,
  /** WeChat mini-program (小程序) sign-in by code2session: its AppID and AppSecret. */
  WECHAT_MINI_APPID: optional,
  WECHAT_MINI_APP_SECRET: optional,

  RESEND_API_KEY: optional,
  RESEND_BASE_URL: optional,
  MAIL_FROM: z.string().default("Yuyue <noreply@yuyue.local>"),
  SMS_PROVIDER: z.enum(["dev", "aliyun", "tencent"]).optional(),
  SMS_ACCESS_KEY_ID: optional,
  SMS_ACCESS_KEY_SECRET: optional,
  SMS_SIGN_NAME: optional,
  SMS_ENDPOINT: optional,
  /** Tencent Cloud SMS: the SMS application (SmsSdkAppId) and API region (default ap-guangzhou). */
  SMS_SDK_APP_ID: optional,
  SMS_REGION: optional,
  /** Registered template per message type, JSON `{"booking_confirmed":"SMS_123",…}` (Aliyun codes or Tencent ids). */
  SMS_TEMPLATE_CODES: optional,
  /** The verification-code template (its one or two variables: code, minutes). */
  SMS_TEMPLATE_VERIFICATION_CODE: optional,
  /** Signature per message type when it differs from SMS_SIGN_NAME, JSON `{"verification_code":"某某预约",…}`. */
  SMS_SIGN_NAMES: optional,
});

export type Env = z.infer<typeof schema>;

function parse(): Env {
  const result = schema.safeParse(process.env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return result.data;
}

export const env: Env = parse();

export const isEmbeddedDb = () => env.DATABASE_URL === undefined;

export function appUrl(): string {
  return env.APP_URL ?? `http://localhost:${env.PORT}`;
}

/** The settings that decide whether a sandbox may run (a subset of Env). */
export interface SandboxEnv {
  NODE_ENV?: string;
  SANDBOX_GATEWAY_ENABLED?: string;
}

/**
 * The one rule for the sandbox gateway (the gateway itself, the payment accounts, the sandbox
 * WeChat apps, the mounted route and the admin's status page): never in production unless
 * explicitly enabled, as it marks orders paid at the click of a button.
 */
export function sandboxAllowed(e: SandboxEnv): boolean {
  return e.NODE_ENV !== "production" || envFlag(e.SANDBOX_GATEWAY_ENABLED);
}
