import "server-only";
import { z } from "zod";
import { cached, resolveCache, type Cache } from "@/lib/cache";
import { parseAnswer, wechatGet } from "./api";
import type { WechatApp } from "./config";

/**
 * The official account's access_token (`/cgi-bin/token`, client_credential): valid 7200 s, and
 * each fetch invalidates the previous token after a short overlap, with a daily cap of 2,000 fetches,
 * so every worker shares one copy in the project cache until shortly before it expires. Concurrent
 * misses in one process fetch once (`cached`); across processes the overlap covers the race.
 */
const answer = z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive() });
/** Refreshed this long before WeChat's expiry, so a token is never used at the edge of its life. */
const MARGIN_S = 300;

const key = (app: WechatApp) => `wechat:access_token:${app.appId}`;

type Stored = { token: string; expiresAt: number };

export async function wechatAccessToken(app: WechatApp, cache?: Cache): Promise<string> {
  const stored = await cached<Stored>(
    key(app),
    // The TTL is per value: the loader below stores with WeChat's own expiry instead.
    7200 - MARGIN_S,
    async () => {
      const a = parseAnswer(
        answer,
        await wechatGet(app, "/cgi-bin/token", { grant_type: "client_credential", appid: app.appId, secret: app.appSecret }),
        "/cgi-bin/token",
      );
      return { token: a.access_token, expiresAt: Date.now() + Math.max(60, a.expires_in - MARGIN_S) * 1000 };
    },
    cache,
  );
  if (stored.expiresAt > Date.now()) return stored.token;
  await forgetWechatAccessToken(app, cache);
  return wechatAccessToken(app, cache);
}

/** After WeChat answers 40001/42001 (token invalid or expired): the next call fetches a new one. */
export async function forgetWechatAccessToken(app: WechatApp, cache?: Cache): Promise<void> {
  await resolveCache(cache)
    ?.del(key(app))
    .catch(() => 0);
}
