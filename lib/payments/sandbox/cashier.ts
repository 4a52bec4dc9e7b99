import { signAlipayNotify } from "../alipay-wire";
import { fenToAlipayAmount } from "../money";
import { formatFen } from "@/lib/money";
import type { SandboxContext } from "./context";
import type { NotifyDelivery } from "./notify";
import type { SandboxOrder } from "./store";

/**
 * The sandbox cashier: the page a buyer reaches from a pay URL or by scanning a QR code, with
 * Approve / Decline buttons standing in for the wallet app. Plain HTML, no script, so it works
 * from a phone on the same network during the demo.
 */
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

export function htmlPage(status: number, title: string, body: string): Response {
  const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}
button{font-size:1rem;padding:.6rem 1.2rem;margin-right:.5rem}.amount{font-size:2rem;margin:.5rem 0}</style></head>
<body><p><small>Yuyue sandbox gateway: no real money moves</small></p><h1>${esc(title)}</h1>${body}</body></html>`;
  return new Response(html, { status, headers: { "content-type": "text/html; charset=utf-8" } });
}

const GATEWAY_TITLE = { alipay: "支付宝 Alipay (sandbox)", wechat: "微信支付 WeChat Pay (sandbox)" } as const;

// Relative actions: from …/cashier they resolve to …/cashier/approve whatever the mount prefix.
function orderPage(o: SandboxOrder, payable: boolean): Response {
  const hidden = `<input type="hidden" name="out_trade_no" value="${esc(o.outTradeNo)}">`;
  const buttons = payable
    ? `<form method="post" action="cashier/approve" style="display:inline">${hidden}<button>Approve 确认支付</button></form>
<form method="post" action="cashier/decline" style="display:inline">${hidden}<button>Decline 取消</button></form>`
    : `<p>This order is <strong>${esc(o.status)}</strong> and cannot be paid.</p>`;
  return htmlPage(
    200,
    GATEWAY_TITLE[o.gateway],
    `<p>${esc(o.subject)}</p><p class="amount">${esc(formatFen(o.amountFen))}</p>
<p><small>${esc(o.outTradeNo)}</small></p>${buttons}`,
  );
}

/** Alipay sends the buyer back to return_url with a signed summary of the trade. */
function alipayReturnUrl(ctx: SandboxContext, o: SandboxOrder, returnUrl: string): string {
  const fields = signAlipayNotify(
    {
      method: o.product === "QUICK_WAP_WAY" ? "alipay.trade.wap.pay.return" : "alipay.trade.page.pay.return",
      app_id: ctx.keys.alipay.appId,
      seller_id: ctx.keys.alipay.sellerId,
      out_trade_no: o.outTradeNo,
      trade_no: o.tradeNo,
      total_amount: fenToAlipayAmount(o.amountFen),
      timestamp: ctx.alipayTime(),
      charset: "utf-8",
      version: "1.0",
    },
    ctx.keys.alipay.alipayPrivateKey,
  );
  const url = new URL(returnUrl);
  for (const [k, v] of Object.entries(fields)) url.searchParams.set(k, v);
  return url.toString();
}

export interface CashierActions {
  approve(outTradeNo: string): Promise<NotifyDelivery | null>;
  decline(outTradeNo: string): Promise<NotifyDelivery | null>;
}

/** Serves `/cashier` (GET) and `/cashier/approve|decline` (POST form with out_trade_no). */
export async function handleCashier(req: Request, path: string, ctx: SandboxContext, actions: CashierActions) {
  const url = new URL(req.url);
  if (path === "/cashier" && req.method === "GET") {
    const o = ctx.store.get(url.searchParams.get("out_trade_no") ?? "");
    if (!o) return ctx.errorPage(404, "No such order");
    return orderPage(o, ctx.store.payable(o, ctx.now()));
  }
  const verb = /^\/cashier\/(approve|decline)$/.exec(path)?.[1];
  if (!verb || req.method !== "POST") return ctx.errorPage(404, "Not found");
  const outTradeNo = new URLSearchParams(await req.text()).get("out_trade_no") ?? "";
  const o = ctx.store.get(outTradeNo);
  if (!o || !ctx.store.payable(o, ctx.now())) return ctx.errorPage(409, "This order can no longer be paid");
  const delivery = verb === "approve" ? await actions.approve(outTradeNo) : await actions.decline(outTradeNo);
  if (verb === "approve" && o.returnUrl) return Response.redirect(alipayReturnUrl(ctx, o, o.returnUrl), 303);
  const outcome = delivery ? `Notify sent: merchant answered HTTP ${delivery.status}.` : "No notify for this outcome.";
  return htmlPage(200, verb === "approve" ? "Paid 支付成功" : "Declined 已取消", `<p>${esc(outcome)}</p>`);
}

export function errorPage(status: number, message: string): Response {
  return htmlPage(status, "Sandbox gateway", `<p>${esc(message)}</p>`);
}
