import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { codeOf, makeCustomer } from "@/tests/fixtures";
import { setupTestDb, uniq } from "@/tests/db";
import { accountForWechat, bindWechatIdentity, exchangeOAuthCode, fetchWechatNickname, wechatAuthorizeUrl } from "./wechat-oauth";

setupTestDb();

const APPID = "wx1234567890abcdef";
const SECRET = "official-account-secret-kept-local";
/** code → what api.weixin.qq.com would answer for it; a code works once. */
const codes = new Map<string, { openid: string; unionid?: string; scope: string }>();
let server: Server;
let base: string;

beforeAll(async () => {
  // A local api.weixin.qq.com: /sns/oauth2/access_token and /sns/userinfo with WeChat's wire format
  // (HTTP 200 with errcode on errors).
  server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://local");
    const q = url.searchParams;
    const send = (body: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (url.pathname === "/sns/oauth2/access_token") {
      if (q.get("appid") !== APPID || q.get("secret") !== SECRET) return send({ errcode: 40125, errmsg: "invalid appsecret" });
      if (q.get("grant_type") !== "authorization_code") return send({ errcode: 40002, errmsg: "invalid grant_type" });
      const grant = codes.get(q.get("code") ?? "");
      if (!grant) return send({ errcode: 40029, errmsg: "invalid code" });
      codes.delete(q.get("code") ?? "");
      return send({
        access_token: `AT_${grant.openid}`,
        expires_in: 7200,
        refresh_token: "RT",
        openid: grant.openid,
        scope: grant.scope,
        ...(grant.unionid ? { unionid: grant.unionid } : {}),
      });
    }
    if (url.pathname === "/sns/userinfo") {
      const openid = q.get("openid") ?? "";
      if (q.get("access_token") !== `AT_${openid}`) return send({ errcode: 40001, errmsg: "invalid credential" });
      return send({ openid, nickname: "小王", headimgurl: "https://thirdwx.qlogo.cn/x/132" });
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const config = () => ({ appId: APPID, appSecret: SECRET, apiBaseUrl: base });

describe("WeChat official-account OAuth", () => {
  it("builds the authorize URL WeChat expects", () => {
    const url = wechatAuthorizeUrl({
      appId: APPID,
      openBaseUrl: "https://open.weixin.qq.com",
      redirectUri: "https://yuyue.example/wechat/callback",
      scope: "snsapi_base",
      state: "s1",
    });
    expect(url).toBe(
      `https://open.weixin.qq.com/connect/oauth2/authorize?appid=${APPID}&redirect_uri=https%3A%2F%2Fyuyue.example%2Fwechat%2Fcallback&response_type=code&scope=snsapi_base&state=s1#wechat_redirect`,
    );
  });

  it("exchanges a code for the openid once; a reused or unknown code is refused", async () => {
    const openid = uniq("o");
    codes.set("code-1", { openid, scope: "snsapi_base" });
    const identity = await exchangeOAuthCode(config(), "code-1");
    expect(identity).toMatchObject({ openid, scope: "snsapi_base" });
    expect(await fetchWechatNickname(config(), identity)).toBeUndefined();
    expect(await codeOf(exchangeOAuthCode(config(), "code-1"))).toBe("INVALID_CREDENTIALS");
    expect(await codeOf(exchangeOAuthCode({ ...config(), appSecret: "wrong" }, "code-1"))).toBe("INVALID_CREDENTIALS");
    expect(await codeOf(exchangeOAuthCode({ ...config(), apiBaseUrl: "http://127.0.0.1:1" }, "code-2"))).toBe("UNAVAILABLE");
  });

  it("stores the openid on one customer: created once, found again by openid or unionid, bound to a phone account", async () => {
    const openid = uniq("o");
    const unionid = uniq("u");
    codes.set("code-3", { openid, unionid, scope: "snsapi_userinfo" });
    const identity = await exchangeOAuthCode(config(), "code-3");
    const nickname = await fetchWechatNickname(config(), identity);
    expect(nickname).toBe("小王");
    const first = await getDb().transaction((tx) => accountForWechat(tx, identity, nickname, true));
    expect(first).toMatchObject({ created: true, user: { name: "小王", wechatOpenid: openid, wechatUnionid: unionid, role: "customer" } });
    const again = await getDb().transaction((tx) => accountForWechat(tx, { ...identity, openid: uniq("o2") }, undefined, true));
    expect(again.created).toBe(false);
    expect(again.user.id).toBe(first.user.id);

    const phoneAccount = await makeCustomer(getDb(), {});
    const other = { openid: uniq("o3") };
    const bound = await getDb().transaction((tx) => bindWechatIdentity(tx, phoneAccount.id, other));
    expect(bound.wechatOpenid).toBe(other.openid);
    expect(await codeOf(getDb().transaction((tx) => bindWechatIdentity(tx, phoneAccount.id, { openid: again.user.wechatOpenid! })))).toBe(
      "CONFLICT",
    );
  });
});
