import "server-only";
import { z } from "zod";
import type { WechatApp } from "./config";

/**
 * api.weixin.qq.com's wire format: every answer is HTTP 200 JSON, errors included, as
 * `{ errcode, errmsg }` (40029 invalid code, 40163 code used, 40125 bad secret, 40001/42001 bad or
 * expired access_token, 43101 user refused the subscribe message, 45009 over the daily quota …).
 */
export class WechatApiError extends Error {
  override readonly name = "WechatApiError";
  constructor(
    /** WeChat's errcode; -1 for "system busy", 0 never; null when the call got no WeChat answer at all. */
    readonly errcode: number | null,
    message: string,
  ) {
    super(message);
  }
  /** Worth the same call later: no answer, an HTTP error, system busy (-1) or a rate limit (45009/45011). */
  get retryable(): boolean {
    return this.errcode === null || this.errcode === -1 || this.errcode === 45009 || this.errcode === 45011;
  }
}

const errorAnswer = z.object({ errcode: z.number().int(), errmsg: z.string().optional() });

async function call(app: WechatApp, path: string, query: Record<string, string>, body?: unknown): Promise<unknown> {
  const url = `${app.apiBaseUrl.replace(/\/+$/, "")}${path}?${new URLSearchParams(query)}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: body === undefined ? "GET" : "POST",
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(app.timeoutMs ?? 10_000),
    });
  } catch (cause) {
    throw new WechatApiError(null, `WeChat ${path} unreachable: ${String(cause)}`);
  }
  if (!res.ok) throw new WechatApiError(null, `WeChat ${path}: HTTP ${res.status}`);
  let answer: unknown;
  try {
    answer = await res.json();
  } catch {
    throw new WechatApiError(null, `WeChat ${path}: not JSON`);
  }
  const error = errorAnswer.safeParse(answer);
  if (error.success && error.data.errcode !== 0) {
    throw new WechatApiError(error.data.errcode, `WeChat ${path}: ${error.data.errcode} ${error.data.errmsg ?? ""}`.trim());
  }
  return answer;
}

export const wechatGet = (app: WechatApp, path: string, query: Record<string, string>) => call(app, path, query);
export const wechatPost = (app: WechatApp, path: string, query: Record<string, string>, body: unknown) => call(app, path, query, body);

/** Parses a success answer; a shape WeChat never sends counts as no answer. */
export function parseAnswer<T>(schema: z.ZodType<T>, answer: unknown, path: string): T {
  const parsed = schema.safeParse(answer);
  if (!parsed.success) throw new WechatApiError(null, `WeChat ${path}: unexpected answer`);
  return parsed.data;
}
