import { alipaySignContent, parseForm, rsa2Verify, signedAlipayResponse, type AlipayParams } from "../alipay-wire";
import { formatAlipayTime, parseAlipayTime } from "../china-time";
import { alipayAmountToFen, fenToAlipayAmount, MoneyFormatError } from "../money";
import { alipayBill } from "./bills";
import type { SandboxContext } from "./context";
import { OrderConflict, type SandboxOrder } from "./store";

/**
 * The sandbox's Alipay openapi gateway (`…/alipay/gateway.do`): checks each request the way
 * Alipay does (app id, RSA2 signature over the sorted fields, timestamp) and answers
 * `{"<method>_response":{…},"sign":"…"}` signed with the sandbox's "Alipay" key.
 */
const API_WINDOW_MS = 15 * 60_000;
// A page-pay URL is opened by the buyer later than it was signed; allow a day.
const PAGE_WINDOW_MS = 24 * 3_600_000;

const PAGE_METHODS = new Set(["alipay.trade.page.pay", "alipay.trade.wap.pay"]);

type Inner = Record<string, string>;
const ok = (fields: Inner): Inner => ({ code: "10000", msg: "Success", ...fields });
const invalid = (sub_code: string, sub_msg: string): Inner => ({ code: "40002", msg: "Invalid Arguments", sub_code, sub_msg });
const business = (sub_code: string, sub_msg: string): Inner => ({ code: "40004", msg: "Business Failed", sub_code, sub_msg });

async function readParams(req: Request): Promise<AlipayParams | null> {
  const params = parseForm(new URL(req.url).search.slice(1));
  if (!params || req.method !== "POST") return params;
  const form = parseForm(await req.text());
  if (!form) return null;
  for (const [k, v] of Object.entries(form)) {
    if (k in params) return null; // one field in both query and body: ambiguous
    params[k] = v;
  }
  return params;
}

function checkRequest(p: AlipayParams, ctx: SandboxContext, windowMs: number): Inner | null {
  if (p.app_id !== ctx.keys.alipay.appId) return invalid("isv.invalid-app-id", "无效的AppID参数");
  if (p.sign_type !== "RSA2") return invalid("isv.invalid-signature-type", "无效的签名类型");
  const at = parseAlipayTime(p.timestamp ?? "");
  if (!at || Math.abs(at.getTime() - ctx.now().getTime()) > windowMs) {
    return invalid("isv.invalid-timestamp", "非法的时间戳参数");
  }
  const content = alipaySignContent(p, ["sign"]);
  if (!p.sign || !rsa2Verify(content, p.sign, ctx.keys.alipay.appPublicKey)) {
    return invalid("isv.invalid-signature", `验签出错, 验签字符串为: ${content}`);
  }
  return null;
}

function bizContent(p: AlipayParams): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(p.biz_content ?? "{}");
    if (!parsed || typeof parsed !== "object") return {};
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  } catch {
    return {};
  }
}

function tradeStatus(ctx: SandboxContext, o: SandboxOrder): string {
  if (o.status === "pending") return "WAIT_BUYER_PAY";
  if (o.status === "closed" || ctx.store.refundedFen(o) >= o.amountFen) return "TRADE_CLOSED";
  return "TRADE_SUCCESS";
}

function create(ctx: SandboxContext, p: AlipayParams, biz: Record<string, string>, product: string) {
  const outTradeNo = biz.out_trade_no;
  if (!outTradeNo || !biz.subject) return invalid("isv.missing-parameter", "out_trade_no and subject are required");
  const expiresAt = biz.time_expire ? parseAlipayTime(biz.time_expire) : undefined;
  if (expiresAt === null) return invalid("isv.invalid-parameter", "time_expire");
  try {
    const amountFen = alipayAmountToFen(biz.total_amount ?? "");
    if (amountFen < 1) return invalid("isv.invalid-parameter", "total_amount");
    return ctx.store.create(
      {
        gateway: "alipay",
        outTradeNo,
        amountFen,
        subject: biz.subject,
        product,
        notifyUrl: p.notify_url,
        returnUrl: p.return_url,
        expiresAt,
      },
      ctx.now(),
    );
  } catch (e) {
    if (e instanceof MoneyFormatError) return invalid("isv.invalid-parameter", "total_amount");
    if (e instanceof OrderConflict) return business("ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改");
    throw e;
  }
}

function refund(ctx: SandboxContext, o: SandboxOrder, biz: Record<string, string>): Inner {
  const outRequestNo = biz.out_request_no ?? o.outTradeNo;
  let amountFen: number;
  try {
    amountFen = alipayAmountToFen(biz.refund_amount ?? "");
  } catch {
    return invalid("isv.invalid-parameter", "refund_amount");
  }
  // fund_change "Y" only when this very call moved money; a repeat (or a refund still in the
  // back office) answers "N", and the merchant confirms by query.
  const reply = (fundChange: "Y" | "N") =>
    ok({
      trade_no: o.tradeNo,
      out_trade_no: o.outTradeNo,
      buyer_logon_id: "san***@sandbox.local",
      fund_change: fundChange,
      refund_fee: fenToAlipayAmount(ctx.store.refundedFen(o)),
      gmt_refund_pay: ctx.alipayTime(),
    });
  const previous = o.refunds.find((r) => r.outRefundNo === outRequestNo);
  if (previous) return previous.amountFen === amountFen ? reply("N") : business("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额与原请求不一致");
  if (o.status !== "paid") return business("ACQ.TRADE_STATUS_ERROR", "交易状态不合法");
  if (amountFen < 1 || amountFen > o.amountFen - ctx.store.refundedFen(o)) {
    return business("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限");
  }
  if (ctx.refundsRefused(o)) return business("ACQ.SELLER_BALANCE_NOT_ENOUGH", "卖家余额不足");
  const held = ctx.refundsHeld(o);
  const created = ctx.store.addRefund(o, { outRefundNo: outRequestNo, amountFen, status: held ? "PROCESSING" : "SUCCESS" }, ctx.now());
  ctx.refunded(o, created);
  return reply(held ? "N" : "Y");
}

/** alipay.trade.fastpay.refund.query: the refund's fields once it succeeded, else only the trade's. */
function refundQuery(o: SandboxOrder, biz: Record<string, string>): Inner {
  const r = o.refunds.find((x) => x.outRefundNo === (biz.out_request_no ?? o.outTradeNo));
  if (!r || r.status !== "SUCCESS") return ok({ trade_no: o.tradeNo, out_trade_no: o.outTradeNo });
  const wanted = (biz.query_options ?? "").split(",");
  return ok({
    trade_no: o.tradeNo,
    out_trade_no: o.outTradeNo,
    out_request_no: r.outRefundNo,
    total_amount: fenToAlipayAmount(o.amountFen),
    refund_amount: fenToAlipayAmount(r.amountFen),
    refund_status: "REFUND_SUCCESS",
    ...(wanted.includes("gmt_refund_pay") ? { gmt_refund_pay: formatAlipayTime(r.createdAt) } : {}),
  });
}

/** bill_type trade for a day up to today: the download address of its zip (the file is made now). */
function billUrl(ctx: SandboxContext, biz: Record<string, string>): Inner {
  const date = biz.bill_date ?? "";
  if (biz.bill_type !== "trade" && biz.bill_type !== "signcustomer") return invalid("isv.invalid-parameter", "bill_type");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || date > ctx.alipayTime().slice(0, 10)) return business("isp.bill_not_exist", "账单不存在");
  const token = ctx.bills.put(alipayBill(ctx, date));
  return ok({
    bill_download_url: `${ctx.baseUrl}/alipay/billdownload?token=${token}&fileType=csv.zip&bizType=trade&downloadFileName=${date}.csv.zip`,
  });
}

export async function handleAlipayGateway(req: Request, ctx: SandboxContext): Promise<Response> {
  const p = await readParams(req);
  if (!p) return new Response("malformed request", { status: 400 });
  const method = p.method ?? "";
  const page = PAGE_METHODS.has(method);
  const answer = (inner: Inner) =>
    new Response(signedAlipayResponse(method || "error", inner, ctx.keys.alipay.alipayPrivateKey), {
      headers: { "content-type": "application/json;charset=utf-8" },
    });

  const problem = checkRequest(p, ctx, page ? PAGE_WINDOW_MS : API_WINDOW_MS);
  if (problem) return page ? ctx.errorPage(400, `${problem.sub_code}: ${problem.sub_msg}`) : answer(problem);
  const biz = bizContent(p);

  if (page || method === "alipay.trade.precreate") {
    const product = page ? (biz.product_code ?? "FAST_INSTANT_TRADE_PAY") : "FACE_TO_FACE_PAYMENT";
    const result = create(ctx, p, biz, product);
    if (!("outTradeNo" in result)) return page ? ctx.errorPage(400, `${result.sub_code}: ${result.sub_msg}`) : answer(result);
    // The buyer lands on the cashier; a QR code carries the cashier's address.
    if (page) return Response.redirect(ctx.cashierUrl(result.outTradeNo), 303);
    return answer(ok({ out_trade_no: result.outTradeNo, qr_code: ctx.cashierUrl(result.outTradeNo) }));
  }

  if (method === "alipay.data.dataservice.bill.downloadurl.query") return answer(billUrl(ctx, biz));

  const o = biz.out_trade_no ? ctx.store.get(biz.out_trade_no) : undefined;
  const known = o?.gateway === "alipay" ? o : undefined;
  switch (method) {
    case "alipay.trade.query":
      if (!known) return answer(business("ACQ.TRADE_NOT_EXIST", "交易不存在"));
      return answer(
        ok({
          trade_no: known.tradeNo,
          out_trade_no: known.outTradeNo,
          trade_status: tradeStatus(ctx, known),
          total_amount: fenToAlipayAmount(known.amountFen),
          buyer_logon_id: "san***@sandbox.local",
        }),
      );
    case "alipay.trade.close":
      if (!known) return answer(business("ACQ.TRADE_NOT_EXIST", "交易不存在"));
      if (known.status !== "pending") return answer(business("ACQ.TRADE_STATUS_ERROR", "交易状态不合法"));
      ctx.close(known);
      return answer(ok({ trade_no: known.tradeNo, out_trade_no: known.outTradeNo }));
    case "alipay.trade.refund":
      if (!known) return answer(business("ACQ.TRADE_NOT_EXIST", "交易不存在"));
      return answer(refund(ctx, known, biz));
    case "alipay.trade.fastpay.refund.query":
      if (!known) return answer(business("ACQ.TRADE_NOT_EXIST", "交易不存在"));
      return answer(refundQuery(known, biz));
    default:
      return answer(invalid("isv.invalid-method", `不存在的方法名: ${method}`));
  }
}
