/**
 * The gateways' daily bills (对账单) in their real file formats, both ways: parsed for
 * reconciliation, written by the sandbox gateway so the same code runs offline.
 *
 * - Alipay `alipay.data.dataservice.bill.downloadurl.query` (bill_type trade) → a zip holding
 *   `<pid>_<yyyyMMdd>_业务明细.csv` and its `(汇总)` sibling, GBK, `#` comment lines around the
 *   table, amounts in yuan, refunds as negative 商家实收, fees (服务费) negative on trades.
 * - WeChat Pay `GET /v3/bill/tradebill` (bill_type ALL) → gzip of a UTF-8 CSV whose every cell
 *   starts with a backtick, the rows followed by a summary header and row; `fundflowbill` alike.
 */
import { parse } from "csv-parse/sync";
import { unzipSync, zipSync } from "fflate";
import iconv from "iconv-lite";
import { formatAlipayTime } from "./china-time";

export interface BillLine {
  kind: "payment" | "refund";
  outTradeNo: string;
  /** Refund lines: our refund number (Alipay out_request_no, WeChat out_refund_no). */
  outRefundNo?: string;
  gatewayTradeNo: string;
  /** Positive fen: what was paid, or what was refunded. */
  amountFen: number;
  /** The gateway's fee on the line, fen (given back in part on refunds). */
  feeFen: number;
  /** When the gateway completed it, as the bill says (China time). */
  at: string;
}

export interface BillTotals {
  payments: number;
  paidFen: number;
  refunds: number;
  refundedFen: number;
  feeFen: number;
}

export class BillFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BillFormatError";
  }
}

const AMOUNT = /^(-)?(\d{1,10})(?:\.(\d{1,6}))?$/;

/** "-50.00" → -5000, "0.00006" → 0 (half up on the third decimal), never through a float. */
export function yuanToFen(text: string): number {
  const m = AMOUNT.exec(text.trim());
  if (!m) throw new BillFormatError(`not an amount: ${JSON.stringify(text)}`);
  const decimals = (m[3] ?? "").padEnd(3, "0");
  const fen = Number(m[2]) * 100 + Number(decimals.slice(0, 2)) + (Number(decimals[2]) >= 5 ? 1 : 0);
  return m[1] ? -fen : fen;
}

/** 5000 → "50.00", -5000 → "-50.00". */
export function fenToYuan(fen: number): string {
  const abs = Math.abs(fen);
  const text = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
  return fen < 0 ? `-${text}` : text;
}

export function totalsOf(lines: readonly BillLine[]): BillTotals {
  const t: BillTotals = { payments: 0, paidFen: 0, refunds: 0, refundedFen: 0, feeFen: 0 };
  for (const l of lines) {
    if (l.kind === "payment") {
      t.payments += 1;
      t.paidFen += l.amountFen;
      t.feeFen += l.feeFen;
    } else {
      t.refunds += 1;
      t.refundedFen += l.amountFen;
      t.feeFen -= l.feeFen;
    }
  }
  return t;
}

function rows(text: string): string[][] {
  return parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
}

function columns(header: string[], wanted: readonly string[]): Record<string, number> {
  const at: Record<string, number> = {};
  for (const name of wanted) {
    const i = header.indexOf(name);
    if (i < 0) throw new BillFormatError(`bill has no column ${name}`);
    at[name] = i;
  }
  return at;
}

// ── Alipay ────────────────────────────────────────────────────────────────────

const ALIPAY_HEADER = [
  "支付宝交易号",
  "商户订单号",
  "业务类型",
  "商品名称",
  "创建时间",
  "完成时间",
  "门店编号",
  "门店名称",
  "操作员",
  "终端号",
  "对方账户",
  "订单金额（元）",
  "商家实收（元）",
  "支付宝红包（元）",
  "集分宝（元）",
  "支付宝优惠（元）",
  "商家优惠（元）",
  "券核销金额（元）",
  "券名称",
  "商家红包消费金额（元）",
  "卡消费金额（元）",
  "退款批次号/请求号",
  "服务费（元）",
  "分润（元）",
  "备注",
] as const;

const ALIPAY_RULE = "-".repeat(41);

/** The Alipay fee the sandbox charges: 0.6%, as the common 当面付/电脑网站 rate. */
export const SANDBOX_FEE_PERMILLE = 6;
export const sandboxFee = (fen: number) => Math.round((fen * SANDBOX_FEE_PERMILLE) / 1000);

function alipayDay(date: string) {
  const [y, m, d] = date.split("-");
  return `${y}年${m}月${d}日`;
}

/** The zip Alipay serves for one day's trade bill (the sandbox's download answer). */
export function writeAlipayTradeBill(input: {
  pid: string;
  date: string;
  lines: readonly (BillLine & { subject: string; orderFen: number })[];
  exportedAt: Date;
}): Uint8Array {
  const next = new Date(`${input.date}T00:00:00+08:00`);
  next.setUTCDate(next.getUTCDate() + 1);
  const nextDay = formatAlipayTime(next).slice(0, 10);
  const cell = (v: string) => `${v}\t`;
  const body = input.lines.map((l) => {
    const payment = l.kind === "payment";
    const received = payment ? l.amountFen : -l.amountFen;
    const fee = payment ? -l.feeFen : l.feeFen;
    const values: string[] = [
      l.gatewayTradeNo,
      l.outTradeNo,
      payment ? "交易" : "退款",
      l.subject.replaceAll(",", "，"),
      l.at,
      l.at,
      "",
      "",
      "",
      "",
      "san***@sandbox.local",
      fenToYuan(l.orderFen),
      fenToYuan(received),
      "0.00",
      "0.00",
      "0.00",
      "0.00",
      "0.00",
      "",
      "0.00",
      "0.00",
      l.outRefundNo ?? "",
      fenToYuan(fee),
      "0.00",
      "",
    ];
    return values.map(cell).join(",");
  });
  const t = totalsOf(input.lines);
  const detail = [
    "#支付宝业务明细查询",
    `#账号：[${input.pid}0156]`,
    `#起始日期：[${alipayDay(input.date)} 00:00:00]   终止日期：[${alipayDay(nextDay)} 00:00:00]`,
    `#${ALIPAY_RULE}业务明细列表${ALIPAY_RULE}`,
    ALIPAY_HEADER.join(","),
    ...body,
    `#${ALIPAY_RULE}业务明细列表结束${ALIPAY_RULE}`,
    `#交易合计：${t.payments}笔，商家实收：${fenToYuan(t.paidFen)}元，商家优惠：0.00元`,
    `#退款合计：${t.refunds}笔，商家实收：${fenToYuan(-t.refundedFen)}元，商家优惠：0.00元`,
    `#导出时间：[${formatAlipayTime(input.exportedAt).replace(/^(\d+)-(\d+)-(\d+)/, "$1年$2月$3日")}]`,
  ].join("\r\n");
  const summary = [
    "#支付宝业务汇总查询",
    `#账号：[${input.pid}0156]`,
    `#${ALIPAY_RULE}业务汇总列表${ALIPAY_RULE}`,
    "门店编号,门店名称,交易订单总笔数,退款订单总笔数,订单金额（元）,商家实收（元）,服务费（元）",
    `合计,,${t.payments},${t.refunds},${fenToYuan(t.paidFen)},${fenToYuan(t.paidFen - t.refundedFen)},${fenToYuan(-t.feeFen)}`,
    `#${ALIPAY_RULE}业务汇总列表结束${ALIPAY_RULE}`,
  ].join("\r\n");
  const digits = input.date.replaceAll("-", "");
  return zipSync({
    [`${input.pid}0156_${digits}_业务明细.csv`]: new Uint8Array(iconv.encode(detail, "gbk")),
    [`${input.pid}0156_${digits}_业务明细(汇总).csv`]: new Uint8Array(iconv.encode(summary, "gbk")),
  });
}

/** The detail file of an Alipay bill zip, decoded from GBK (found by its content, not its name). */
export function alipayBillDetail(zip: Uint8Array): string {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip);
  } catch (e) {
    throw new BillFormatError(`Alipay bill is not a zip: ${(e as Error).message}`);
  }
  for (const bytes of Object.values(files)) {
    const text = iconv.decode(Buffer.from(bytes), "gbk");
    if (text.includes("业务明细列表") && !text.includes("业务汇总列表")) return text;
  }
  throw new BillFormatError("Alipay bill zip has no 业务明细 file");
}

export function parseAlipayTradeBill(zip: Uint8Array): { lines: BillLine[]; totals: BillTotals } {
  const text = alipayBillDetail(zip);
  const all = text.split(/\r?\n/);
  const table = all.filter((line) => line.trim() !== "" && !line.startsWith("#")).join("\n");
  const [header, ...data] = rows(table);
  if (!header) return { lines: [], totals: totalsOf([]) };
  const c = columns(header, ALIPAY_HEADER);
  const get = (r: string[], name: (typeof ALIPAY_HEADER)[number]) => (r[c[name]!] ?? "").trim();
  const lines: BillLine[] = data.map((r) => {
    const kind = get(r, "业务类型") === "退款" ? "refund" : "payment";
    const received = yuanToFen(get(r, "商家实收（元）"));
    const refundNo = get(r, "退款批次号/请求号");
    return {
      kind,
      outTradeNo: get(r, "商户订单号"),
      ...(kind === "refund" && refundNo ? { outRefundNo: refundNo } : {}),
      gatewayTradeNo: get(r, "支付宝交易号"),
      amountFen: Math.abs(received),
      feeFen: Math.abs(yuanToFen(get(r, "服务费（元）") || "0")),
      at: get(r, "完成时间"),
    };
  });
  const totals = totalsOf(lines);
  // The bill's own footer must agree with its rows: a truncated download is not a bill.
  const stated = (label: string) => {
    const m = new RegExp(`#${label}合计：(\\d+)笔，商家实收：(-?[\\d.]+)元`).exec(text);
    return m ? { count: Number(m[1]), fen: Math.abs(yuanToFen(m[2]!)) } : undefined;
  };
  const trades = stated("交易");
  const refunded = stated("退款");
  if (
    !trades ||
    !refunded ||
    trades.count !== totals.payments ||
    trades.fen !== totals.paidFen ||
    refunded.count !== totals.refunds ||
    refunded.fen !== totals.refundedFen
  ) {
    throw new BillFormatError("Alipay bill footer does not match its rows");
  }
  return { lines, totals };
}

// ── WeChat Pay ────────────────────────────────────────────────────────────────

const WECHAT_HEADER = [
  "交易时间",
  "公众账号ID",
  "商户号",
  "特约商户号",
  "设备号",
  "微信订单号",
  "商户订单号",
  "用户标识",
  "交易类型",
  "交易状态",
  "付款银行",
  "货币种类",
  "应结订单金额",
  "代金券金额",
  "微信退款单号",
  "商户退款单号",
  "退款金额",
  "充值券退款金额",
  "退款类型",
  "退款状态",
  "商品名称",
  "商户数据包",
  "手续费",
  "费率",
  "订单金额",
  "申请退款金额",
  "费率备注",
] as const;

const WECHAT_SUMMARY = [
  "总交易单数",
  "应结订单总金额",
  "退款总金额",
  "充值券退款总金额",
  "手续费总金额",
  "订单总金额",
  "申请退款总金额",
] as const;

const tick = (v: string | number) => `\`${v}`;

/** WeChat's 手续费 has five decimals: fen → "0.30000". */
const fee5 = (fen: number) => `${fenToYuan(fen)}000`;

export function writeWechatTradeBill(input: {
  appId: string;
  mchId: string;
  lines: readonly (BillLine & { subject: string; orderFen: number; refundId?: string; openid?: string; product: string })[];
}): string {
  const body = input.lines.map((l) => {
    const payment = l.kind === "payment";
    return [
      l.at,
      input.appId,
      input.mchId,
      "0",
      "",
      l.gatewayTradeNo,
      l.outTradeNo,
      l.openid ?? "oSandboxPayer",
      l.product,
      payment ? "SUCCESS" : "REFUND",
      "OTHERS",
      "CNY",
      fenToYuan(payment ? l.orderFen : 0),
      "0.00",
      payment ? "0" : (l.refundId ?? ""),
      payment ? "0" : (l.outRefundNo ?? ""),
      fenToYuan(payment ? 0 : l.amountFen),
      "0.00",
      payment ? "" : "ORIGINAL",
      payment ? "" : "SUCCESS",
      l.subject.replaceAll(",", "，"),
      "",
      payment ? fee5(l.feeFen) : fee5(-l.feeFen),
      "0.60%",
      fenToYuan(l.orderFen),
      fenToYuan(payment ? 0 : l.amountFen),
      "",
    ]
      .map(tick)
      .join(",");
  });
  const t = totalsOf(input.lines);
  return [
    WECHAT_HEADER.join(","),
    ...body,
    WECHAT_SUMMARY.join(","),
    [
      t.payments + t.refunds,
      fenToYuan(t.paidFen),
      fenToYuan(t.refundedFen),
      "0.00",
      fee5(t.feeFen),
      fenToYuan(t.paidFen),
      fenToYuan(t.refundedFen),
    ]
      .map(tick)
      .join(","),
  ].join("\r\n");
}

export function parseWechatTradeBill(text: string): { lines: BillLine[]; totals: BillTotals } {
  const all = rows(text.replace(/^\uFEFF/, "")).map((r) => r.map((v) => v.replace(/^`/, "").trim()));
  const header = all[0];
  if (!header) return { lines: [], totals: totalsOf([]) };
  const c = columns(header, WECHAT_HEADER);
  const summaryAt = all.findIndex((r) => r[0] === WECHAT_SUMMARY[0]);
  if (summaryAt < 0) throw new BillFormatError("WeChat bill has no summary");
  const get = (r: string[], name: (typeof WECHAT_HEADER)[number]) => r[c[name]!] ?? "";
  const lines: BillLine[] = all.slice(1, summaryAt).map((r) => {
    const refund = get(r, "交易状态") === "REFUND";
    const feeFen = Math.abs(yuanToFen(get(r, "手续费") || "0"));
    return refund
      ? {
          kind: "refund",
          outTradeNo: get(r, "商户订单号"),
          outRefundNo: get(r, "商户退款单号"),
          gatewayTradeNo: get(r, "微信订单号"),
          amountFen: yuanToFen(get(r, "退款金额")),
          feeFen,
          at: get(r, "交易时间"),
        }
      : {
          kind: "payment",
          outTradeNo: get(r, "商户订单号"),
          gatewayTradeNo: get(r, "微信订单号"),
          amountFen: yuanToFen(get(r, "应结订单金额")),
          feeFen,
          at: get(r, "交易时间"),
        };
  });
  const totals = totalsOf(lines);
  const s = all[summaryAt + 1] ?? [];
  if (Number(s[0]) !== lines.length || yuanToFen(s[1] ?? "x") !== totals.paidFen || yuanToFen(s[2] ?? "x") !== totals.refundedFen) {
    throw new BillFormatError("WeChat bill summary does not match its rows");
  }
  return { lines, totals };
}

/** 资金账单 (fund flow, basic account): income and expense of the day, for the archive. */
export function writeWechatFundFlowBill(lines: readonly BillLine[], balanceFen: number): string {
  const header = [
    "记账时间",
    "微信支付业务单号",
    "资金流水单号",
    "业务名称",
    "业务类型",
    "收支类型",
    "收支金额（元）",
    "账户结余（元）",
    "资金变更提交申请人",
    "备注",
    "业务凭证号",
  ];
  let balance = balanceFen;
  const body = lines.map((l, i) => {
    const income = l.kind === "payment";
    const net = l.amountFen - l.feeFen;
    balance += income ? net : -net;
    return [
      l.at,
      l.gatewayTradeNo,
      `${i + 1}`.padStart(20, "0"),
      income ? "交易" : "退款",
      income ? "交易" : "退款",
      income ? "收入" : "支出",
      fenToYuan(net),
      fenToYuan(balance),
      "system",
      "",
      l.outRefundNo ?? l.outTradeNo,
    ]
      .map(tick)
      .join(",");
  });
  const income = lines.filter((l) => l.kind === "payment");
  const expense = lines.filter((l) => l.kind === "refund");
  const sum = (ls: BillLine[]) => ls.reduce((s, l) => s + l.amountFen - l.feeFen, 0);
  return [
    header.join(","),
    ...body,
    "资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额",
    [lines.length, income.length, fenToYuan(sum(income)), expense.length, fenToYuan(sum(expense))].map(tick).join(","),
  ].join("\r\n");
}

export function parseWechatFundFlowBill(text: string): { incomeFen: number; expenseFen: number; entries: number } {
  const all = rows(text.replace(/^\uFEFF/, "")).map((r) => r.map((v) => v.replace(/^`/, "").trim()));
  const at = all.findIndex((r) => r[0] === "资金流水总笔数");
  const s = at >= 0 ? all[at + 1] : undefined;
  if (!s) throw new BillFormatError("WeChat fund flow bill has no summary");
  return { entries: Number(s[0]), incomeFen: yuanToFen(s[2] ?? "x"), expenseFen: yuanToFen(s[4] ?? "x") };
}
