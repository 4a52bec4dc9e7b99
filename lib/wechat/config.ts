import "server-only";
import { appUrl, env as processEnv, sandboxAllowed, type Env } from "@/lib/env";
import { sandboxWechatApps } from "./sandbox-apps";

/**
 * Wiring of the WeChat applications: the official account (公众号: web OAuth inside WeChat,
 * subscribe messages; its AppID is WeChat Pay's WECHATPAY_APPID) and the mini-program (小程序:
 * code2session). Real AppSecrets from the environment; otherwise, outside production, the sandbox
 * gateway's WeChat apps, through the very same client code.
 */
export const WECHAT_API_BASE = "https://api.weixin.qq.com";
export const WECHAT_OPEN_BASE = "https://open.weixin.qq.com";
/** Where the app mounts the sandbox gateway (app/sandbox-gateway). */
const SANDBOX_PREFIX = "/sandbox-gateway";
const SANDBOX_DATA_DIR = ".data/sandbox-gateway";

export type WechatApp = {
  appId: string;
  appSecret: string;
  /** api.weixin.qq.com or a stand-in. */
  apiBaseUrl: string;
  timeoutMs?: number;
};
export type WechatOfficialApp = WechatApp & { /** open.weixin.qq.com (the authorize page) or a stand-in. */ openBaseUrl: string };

export type WechatConfig = {
  official: WechatOfficialApp | null;
  mini: WechatApp | null;
  source: "env" | "sandbox" | "none";
};

export type WechatConfigOptions = { env?: Env; appBaseUrl?: string; sandboxDataDir?: string };

/** The sandbox's apps as served by the gateway mounted at `gatewayBaseUrl`. */
export function sandboxWechatConfig(gatewayBaseUrl: string, dataDir: string = SANDBOX_DATA_DIR): WechatConfig {
  const apps = sandboxWechatApps(dataDir);
  const base = gatewayBaseUrl.replace(/\/+$/, "");
  const apiBaseUrl = `${base}/wechat-api`;
  return {
    official: { ...apps.official, apiBaseUrl, openBaseUrl: `${base}/wechat-open` },
    mini: { ...apps.mini, apiBaseUrl },
    source: "sandbox",
  };
}

export function wechatConfigFromEnv(options: WechatConfigOptions = {}): WechatConfig {
  const e = options.env ?? processEnv;
  const apiBaseUrl = e.WECHAT_API_BASE_URL ?? WECHAT_API_BASE;
  const official =
    e.WECHATPAY_APPID && e.WECHAT_APP_SECRET
      ? { appId: e.WECHATPAY_APPID, appSecret: e.WECHAT_APP_SECRET, apiBaseUrl, openBaseUrl: e.WECHAT_OPEN_BASE_URL ?? WECHAT_OPEN_BASE }
      : null;
  const mini =
    e.WECHAT_MINI_APPID && e.WECHAT_MINI_APP_SECRET
      ? { appId: e.WECHAT_MINI_APPID, appSecret: e.WECHAT_MINI_APP_SECRET, apiBaseUrl }
      : null;
  if (official || mini) return { official, mini, source: "env" };
  // The sandbox stands in only while WeChat Pay runs on it too: an openid of the sandbox's official
  // account could never pay through a real merchant account.
  if (!sandboxAllowed(e) || e.WECHATPAY_APPID) return { official: null, mini: null, source: "none" };
  const gateway = `${(options.appBaseUrl ?? appUrl()).replace(/\/+$/, "")}${SANDBOX_PREFIX}`;
  return sandboxWechatConfig(gateway, options.sandboxDataDir ?? SANDBOX_DATA_DIR);
}

const memo = new WeakMap<Env, WechatConfig>();
/** The process's WeChat apps (memoised per env). */
export function wechatConfig(): WechatConfig {
  let c = memo.get(processEnv);
  if (!c) memo.set(processEnv, (c = wechatConfigFromEnv()));
  return c;
}
