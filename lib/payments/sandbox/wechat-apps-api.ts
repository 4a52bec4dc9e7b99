import { createHmac, randomBytes } from "node:crypto";
import { sandboxWechatApps, type SandboxWechatApps } from "@/lib/wechat/sandbox-apps";
import { htmlPage } from "./cashier";

/**
 * The sandbox's WeChat platform (not WeChat Pay): the official account's web OAuth
 * (`/wechat-open/connect/oauth2/authorize`, `/wechat-api/sns/oauth2/access_token`, `/sns/userinfo`),
 * the mini-program's `/sns/jscode2session`, `/cgi-bin/token`, and subscribe messages (the
 * one-time confirm page `/wechat-open/mp/subscribemsg` and `/cgi-bin/message/subscribe/send`), in
 * WeChat's wire format: JSON over HTTP 200, errors as `{ errcode, errmsg }`. The "WeChat user" of a
 * browser is remembered in a cookie, as the WeChat app itself knows who is signed in.
 */
const USER_COOKIE = "sandbox_wx_user";
const CODE_TTL_MS = 5 * 60_000;

type Grant = { appId: string; user: string; scope: string; expiresAt: number };
type SentMessage = { touser: string; template_id: string; page?: string; data: Record<string, { value: string }> };

export interface SandboxWechatPlatform {
  readonly apps: SandboxWechatApps;
  handleOpen(req: Request, path: string): Promise<Response>;
  handleApi(req: Request, path: string): Promise<Response>;
  /** The openid (official account) or mini-program openid of a sandbox WeChat user. */
  openidOf(user: string, app: "official" | "mini"): string;
  /** A `wx.login` code for a sandbox WeChat user (what the mini-program would get on the phone). */
  miniLoginCode(user: string): string;
  /** The customer taps "allow" on a subscribe prompt: one message of the template may be sent. */
  grantSubscribe(openid: string, templateId: string): void;
  /** Every subscribe message accepted so far, and how many access_tokens were handed out. */
  readonly sent: readonly (SentMessage & { msgid: number })[];
  readonly tokenFetches: number;
}

const json = (body: object) => new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
const fail = (errcode: number, errmsg: string) => json({ errcode, errmsg: `${errmsg} rid: ${randomBytes(4).toString("hex")}` });
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

function cookieUser(req: Request): string | undefined {
  const m = /(?:^|;\s*)sandbox_wx_user=([A-Za-z0-9_-]{6,64})/.exec(req.headers.get("cookie") ?? "");
  return m?.[1];
}

export function createSandboxWechatPlatform(dataDir: string, prefix: string, now: () => Date): SandboxWechatPlatform {
  const apps = sandboxWechatApps(dataDir);
  const codes = new Map<string, Grant>();
  const userTokens = new Map<string, { user: string; scope: string; expiresAt: number }>();
  const appTokens = new Map<string, number>();
  const grants = new Map<string, number>();
  const sent: (SentMessage & { msgid: number })[] = [];
  let tokenFetches = 0;

  const hash = (what: string) => createHmac("sha256", apps.official.appSecret).update(what).digest("base64url");
  const openidOf = (user: string, app: "official" | "mini") => `o${hash(`${apps[app].appId}:${user}`).slice(0, 27)}`;
  const unionidOf = (user: string) => `u${hash(`union:${user}`).slice(0, 27)}`;
  const newCode = (g: Grant) => {
    const code = randomBytes(16).toString("hex");
    codes.set(code, g);
    return code;
  };
  const takeCode = (code: string, appId: string): Grant | undefined => {
    const g = codes.get(code);
    codes.delete(code);
    return g && g.appId === appId && g.expiresAt > now().getTime() ? g : undefined;
  };

  /**
   * Back to the merchant's page. A GET (silent snsapi_base) answers with a page that moves on by
   * meta refresh: a 302 would carry the authorize URL's `#wechat_redirect` fragment along, which
   * WeChat itself drops.
   */
  function redirectBack(redirectUri: string, query: Record<string, string>, user: string, setCookie: boolean, viaPage = false): Response {
    const url = new URL(redirectUri);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const headers = new Headers(
      viaPage ? { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } : { location: url.toString() },
    );
    if (setCookie) headers.set("set-cookie", `${USER_COOKIE}=${user}; Path=${prefix || "/"}; HttpOnly; SameSite=Lax; Max-Age=31536000`);
    if (!viaPage) return new Response(null, { status: 302, headers });
    const target = esc(url.toString());
    const html = `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${target}"><title>WeChat</title></head><body><a href="${target}">${target}</a></body></html>`;
    return new Response(html, { status: 200, headers });
  }

  async function handleOpen(req: Request, path: string): Promise<Response> {
    const url = new URL(req.url);
    const q = req.method === "POST" ? new URLSearchParams(await req.text()) : url.searchParams;
    const known = cookieUser(req);
    const user = known ?? `wxu_${randomBytes(9).toString("base64url")}`;
    if (path === "/connect/oauth2/authorize") {
      const redirectUri = q.get("redirect_uri") ?? "";
      const scope = q.get("scope") ?? "";
      if (q.get("appid") !== apps.official.appId) return htmlPage(400, "微信授权 (sandbox)", "<p>appid 参数错误 (10003)</p>");
      if (!/^https?:\/\//.test(redirectUri)) return htmlPage(400, "微信授权 (sandbox)", "<p>redirect_uri 参数错误 (10003)</p>");
      if (scope !== "snsapi_base" && scope !== "snsapi_userinfo")
        return htmlPage(400, "微信授权 (sandbox)", "<p>scope 参数错误 (10005)</p>");
      const state = q.get("state") ?? "";
      const grant = () => newCode({ appId: apps.official.appId, user, scope, expiresAt: now().getTime() + CODE_TTL_MS });
      // snsapi_base is silent; snsapi_userinfo asks the customer first (the POST is their answer).
      if (scope === "snsapi_base") return redirectBack(redirectUri, { code: grant(), state }, user, !known, true);
      if (req.method === "POST") {
        if (q.get("answer") !== "allow") return redirectBack(redirectUri, { state }, user, !known);
        return redirectBack(redirectUri, { code: grant(), state }, user, !known);
      }
      const hidden = ["appid", "redirect_uri", "response_type", "scope", "state"]
        .map((k) => `<input type="hidden" name="${k}" value="${esc(q.get(k) ?? "")}">`)
        .join("");
      return htmlPage(
        200,
        "微信授权 WeChat (sandbox)",
        `<p>该网页申请获取你的昵称、头像 · This page asks for your nickname and avatar</p>
<form method="post">${hidden}<button name="answer" value="allow">允许 Allow</button><button name="answer" value="deny">拒绝 Deny</button></form>`,
      );
    }
    if (path === "/mp/subscribemsg") {
      const redirectUrl = q.get("redirect_url") ?? "";
      const templateId = q.get("template_id") ?? "";
      if (q.get("appid") !== apps.official.appId || !/^https?:\/\//.test(redirectUrl) || !templateId) {
        return htmlPage(400, "订阅消息 (sandbox)", "<p>参数错误</p>");
      }
      const back = (action: string) =>
        redirectBack(
          redirectUrl,
          {
            openid: openidOf(user, "official"),
            template_id: templateId,
            action,
            scene: q.get("scene") ?? "",
            reserved: q.get("reserved") ?? "",
          },
          user,
          !known,
        );
      if (req.method === "POST") {
        if (q.get("answer") !== "confirm") return back("cancel");
        grantSubscribe(openidOf(user, "official"), templateId);
        return back("confirm");
      }
      const hidden = ["action", "appid", "scene", "template_id", "redirect_url", "reserved"]
        .map((k) => `<input type="hidden" name="${k}" value="${esc(q.get(k) ?? "")}">`)
        .join("");
      return htmlPage(
        200,
        "订阅消息 Subscribe (sandbox)",
        `<p>允许发送一次预约通知 · Allow one booking notice</p>
<form method="post">${hidden}<button name="answer" value="confirm">允许 Allow</button><button name="answer" value="cancel">取消 Cancel</button></form>`,
      );
    }
    if (path === "/mini/login" && req.method === "POST") {
      // The stand-in for wx.login on the phone: a code for this browser's (or the named) WeChat user.
      return json({ code: miniLoginCode(q.get("user") || user) });
    }
    return htmlPage(404, "Sandbox WeChat", "<p>Not found</p>");
  }

  function grantSubscribe(openid: string, templateId: string) {
    const key = `${openid}:${templateId}`;
    grants.set(key, (grants.get(key) ?? 0) + 1);
  }

  function miniLoginCode(user: string) {
    return newCode({ appId: apps.mini.appId, user, scope: "mini", expiresAt: now().getTime() + CODE_TTL_MS });
  }

  async function handleApi(req: Request, path: string): Promise<Response> {
    const q = new URL(req.url).searchParams;
    const t = now().getTime();
    if (path === "/sns/oauth2/access_token" || path === "/sns/jscode2session") {
      const app = path === "/sns/jscode2session" ? apps.mini : apps.official;
      if (q.get("appid") !== app.appId) return fail(40013, "invalid appid");
      if (q.get("secret") !== app.appSecret) return fail(40125, "invalid appsecret");
      if (q.get("grant_type") !== "authorization_code") return fail(40002, "invalid grant_type");
      const code = q.get(path === "/sns/jscode2session" ? "js_code" : "code") ?? "";
      if (!code) return fail(41008, "missing code");
      const g = takeCode(code, app.appId);
      if (!g) return fail(40029, "invalid code");
      if (path === "/sns/jscode2session") {
        return json({ openid: openidOf(g.user, "mini"), session_key: randomBytes(16).toString("base64"), unionid: unionidOf(g.user) });
      }
      const accessToken = randomBytes(24).toString("base64url");
      userTokens.set(accessToken, { user: g.user, scope: g.scope, expiresAt: t + 7200_000 });
      return json({
        access_token: accessToken,
        expires_in: 7200,
        refresh_token: randomBytes(24).toString("base64url"),
        openid: openidOf(g.user, "official"),
        scope: g.scope,
        is_snapshotuser: 0,
        unionid: unionidOf(g.user),
      });
    }
    if (path === "/sns/userinfo") {
      const tok = userTokens.get(q.get("access_token") ?? "");
      if (!tok || tok.expiresAt <= t) return fail(40001, "invalid credential, access_token is invalid or not latest");
      if (openidOf(tok.user, "official") !== q.get("openid")) return fail(40003, "invalid openid");
      if (tok.scope !== "snsapi_userinfo") return fail(48001, "api unauthorized");
      return json({
        openid: openidOf(tok.user, "official"),
        nickname: `沙箱用户${tok.user.slice(-4)}`,
        sex: 0,
        province: "",
        city: "",
        country: "",
        headimgurl: "",
        privilege: [],
        unionid: unionidOf(tok.user),
      });
    }
    if (path === "/cgi-bin/token") {
      if (q.get("grant_type") !== "client_credential") return fail(40002, "invalid grant_type");
      if (q.get("appid") !== apps.official.appId) return fail(40013, "invalid appid");
      if (q.get("secret") !== apps.official.appSecret) return fail(40125, "invalid appsecret");
      tokenFetches++;
      const token = randomBytes(32).toString("base64url");
      appTokens.set(token, t + 7200_000);
      return json({ access_token: token, expires_in: 7200 });
    }
    if (path === "/cgi-bin/message/subscribe/send" && req.method === "POST") {
      const expires = appTokens.get(q.get("access_token") ?? "");
      if (!expires) return fail(40001, "invalid credential, access_token is invalid or not latest");
      if (expires <= t) return fail(42001, "access_token expired");
      let body: Partial<SentMessage>;
      try {
        body = JSON.parse(await req.text()) as Partial<SentMessage>;
      } catch {
        return fail(47001, "data format error");
      }
      if (!body.touser || !/^o[A-Za-z0-9_-]{10,}$/.test(body.touser)) return fail(40003, "invalid openid");
      if (!body.template_id) return fail(40037, "invalid template_id");
      if (!body.data || Object.values(body.data).some((v) => typeof v?.value !== "string"))
        return fail(47003, "argument invalid! data.value");
      const key = `${body.touser}:${body.template_id}`;
      const left = grants.get(key) ?? 0;
      // No (more) consent for this template: WeChat's 43101 "user refuse to accept the msg".
      if (left <= 0) return fail(43101, "user refuse to accept the msg");
      grants.set(key, left - 1);
      const msgid = 2_000_000_000 + sent.length;
      sent.push({ ...(body as SentMessage), msgid });
      return json({ errcode: 0, errmsg: "ok", msgid });
    }
    return json({ errcode: 40066, errmsg: "invalid url" });
  }

  return {
    apps,
    handleOpen,
    handleApi,
    openidOf,
    miniLoginCode,
    grantSubscribe,
    sent,
    get tokenFetches() {
      return tokenFetches;
    },
  };
}
