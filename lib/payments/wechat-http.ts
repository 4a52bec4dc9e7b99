import type { IPayRequest } from "wechatpay-node-v3/dist/lib/pay-request.interface";
import type { Output } from "wechatpay-node-v3/dist/lib/interface-v2";
import { GatewayError } from "./types";
import type { WechatVerifier } from "./wechat-verify";

export const WECHAT_API_BASE = "https://api.mch.weixin.qq.com";

interface HttpOptions {
  baseUrl: string;
  timeoutMs: number;
  verify: WechatVerifier;
  clock: () => Date;
}

/**
 * The HTTP layer plugged into wechatpay-node-v3 via `createHttp`. The SDK hard-codes
 * api.mch.weixin.qq.com and signs the path only, so the host can be swapped here (sandbox,
 * tests) without breaking the request signature. Every answer below 500 must carry a valid
 * platform signature (the SDK's own layer checks none); one that does not is never returned.
 */
export function createWechatHttp(options: HttpOptions): IPayRequest {
  const base = options.baseUrl.replace(/\/+$/, "");

  async function send(url: string, method: "GET" | "POST", headers: Record<string, unknown>, body?: string) {
    if (!url.startsWith(`${WECHAT_API_BASE}/`)) {
      throw new GatewayError("INVALID_REQUEST", `refusing to send a WeChat Pay call to ${url}`);
    }
    const h = new Headers();
    for (const [k, v] of Object.entries(headers)) {
      // fetch negotiates compression itself; a hand-set Accept-Encoding would bypass decoding.
      if (k.toLowerCase() !== "accept-encoding" && v !== undefined) h.set(k, String(v));
    }
    let res: Response;
    try {
      res = await fetch(base + url.slice(WECHAT_API_BASE.length), {
        method,
        headers: h,
        body,
        redirect: "error",
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (e) {
      throw new GatewayError("GATEWAY_ERROR", `WeChat Pay unreachable: ${(e as Error).message}`);
    }
    // Bill files are answered unsigned: their SHA1 came in the signed answer that named them.
    if (res.ok && new URL(url).pathname.startsWith("/v3/billdownload/")) {
      return { status: res.status, data: Buffer.from(await res.arrayBuffer()) } satisfies Output;
    }
    const text = await res.text();
    if (res.status >= 500) return { status: res.status, error: text.slice(0, 500) } satisfies Output;

    const verdict = await options.verify(res.headers, text, options.clock());
    if (verdict !== "ok") {
      throw new GatewayError("BAD_RESPONSE_SIGNATURE", `WeChat Pay response rejected (${verdict}), HTTP ${res.status}`);
    }
    let data: unknown;
    try {
      data = text === "" ? undefined : JSON.parse(text);
    } catch {
      throw new GatewayError("GATEWAY_ERROR", `WeChat Pay answered HTTP ${res.status} with non-JSON`);
    }
    return res.ok ? { status: res.status, data } : { status: res.status, data, error: text.slice(0, 500) };
  }

  return {
    post: (url, params, headers) => send(url, "POST", headers, JSON.stringify(params)),
    get: (url, headers) => send(url, "GET", headers),
    upload: () => Promise.reject(new GatewayError("INVALID_REQUEST", "uploads are not used")),
  };
}
