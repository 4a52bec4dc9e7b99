import "server-only";
import { z } from "zod";
import type { Cache } from "@/lib/cache";
import { forgetWechatAccessToken, wechatAccessToken } from "./access-token";
import { WechatApiError, parseAnswer, wechatPost } from "./api";
import type { WechatApp } from "./config";

export type SubscribeMessage = {
  openid: string;
  templateId: string;
  /** Opened when the customer taps the message. */
  page?: string;
  /** The template's keywords, e.g. `{ thing1: "瑜伽课", time2: "2026-12-04 10:00" }`. */
  data: Record<string, string>;
};

const PATH = "/cgi-bin/message/subscribe/send";
const sent = z.object({ errcode: z.literal(0).optional(), msgid: z.union([z.number(), z.string()]).optional() });
/** The token was revoked or expired before our cached expiry (another fetch, an AppSecret reset). */
const STALE_TOKEN = new Set([40001, 42001]);

/**
 * One subscribe message (订阅消息) through `message/subscribe/send` with the cached access_token.
 * A stale token is dropped and the send tried once more with a fresh one. WeChat's refusals
 * (43101: the customer did not grant or used the grant up; 40037: bad template) throw WechatApiError.
 */
export async function sendSubscribeMessage(app: WechatApp, message: SubscribeMessage, cache?: Cache): Promise<{ msgid: string }> {
  const body = {
    touser: message.openid,
    template_id: message.templateId,
    ...(message.page ? { page: message.page } : {}),
    data: Object.fromEntries(Object.entries(message.data).map(([k, value]) => [k, { value }])),
    lang: "zh_CN",
  };
  const send = async () =>
    parseAnswer(sent, await wechatPost(app, PATH, { access_token: await wechatAccessToken(app, cache) }, body), PATH);
  try {
    return { msgid: String((await send()).msgid ?? "") };
  } catch (e) {
    if (!(e instanceof WechatApiError) || e.errcode === null || !STALE_TOKEN.has(e.errcode)) throw e;
    await forgetWechatAccessToken(app, cache);
    return { msgid: String((await send()).msgid ?? "") };
  }
}
