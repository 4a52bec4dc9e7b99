import "server-only";
import type { Cache } from "@/lib/cache";
import { WechatApiError } from "@/lib/wechat/api";
import type { WechatApp } from "@/lib/wechat/config";
import { sendSubscribeMessage } from "@/lib/wechat/subscribe";
import { type Channel, ChannelError } from "./types";

/**
 * The WeChat subscribe-message channel: `to` is the customer's openid, `message.wechat` the
 * template and its keywords. WeChat's refusals are permanent (43101 refused or grant used up,
 * 40037 bad template, 40003 bad openid): the worker then falls back to SMS and the inbox. Busy
 * (-1), rate limits and no answer are retried.
 */
export function createWechatSubscribeChannel(app: WechatApp | null, cache?: Cache): Channel {
  return {
    kind: "wechat",
    provider: "wechat",
    async send(message) {
      if (!app)
        throw new ChannelError("WeChat official account not configured", { retryable: false, code: "not_configured", provider: "wechat" });
      if (!message.wechat)
        throw new ChannelError("no subscribe template", { retryable: false, code: "missing_template", provider: "wechat" });
      try {
        const { msgid } = await sendSubscribeMessage(app, { openid: message.to, ...message.wechat }, cache);
        return { providerMessageId: msgid };
      } catch (e) {
        if (!(e instanceof WechatApiError)) throw e;
        throw new ChannelError(e.message, {
          retryable: e.retryable,
          code: e.errcode === null ? "unreachable" : String(e.errcode),
          provider: "wechat",
          // No answer: WeChat may have sent it; it keeps no record we could ask, so staff review it.
          maybeDelivered: e.errcode === null,
          cause: e,
        });
      }
    },
  };
}
