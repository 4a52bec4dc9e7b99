/**
 * The one place integer fen become gateway amounts and back. Alipay speaks yuan strings with
 * exactly two decimals ("88.00"); WeChat Pay speaks integer fen. Parsing never goes through a
 * float, so "0.29" is 29 fen and not 28.999…
 */

/** Alipay's own ceiling: 100,000,000.00 yuan. Also keeps every value a safe integer. */
export const MAX_GATEWAY_FEN = 10_000_000_000;

export class MoneyFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MoneyFormatError";
  }
}

/** Throws unless `fen` is a whole, non-negative number of fen within the gateway ceiling. */
export function assertFen(fen: number): number {
  if (!Number.isSafeInteger(fen) || fen < 0 || fen > MAX_GATEWAY_FEN) {
    throw new MoneyFormatError(`not a valid fen amount: ${String(fen)}`);
  }
  return fen;
}

/** 8800 → "88.00"; 1 → "0.01". */
export function fenToAlipayAmount(fen: number): string {
  assertFen(fen);
  const yuan = Math.floor(fen / 100);
  const cents = fen % 100;
  return `${yuan}.${String(cents).padStart(2, "0")}`;
}

const YUAN = /^(0|[1-9]\d{0,8})(?:\.(\d{1,2}))?$/;

/** "88.00" → 8800, "88.5" → 8850; rejects signs, exponents, spaces and a third decimal. */
export function alipayAmountToFen(amount: string): number {
  const m = YUAN.exec(amount);
  if (!m) throw new MoneyFormatError(`not a yuan amount: ${JSON.stringify(amount)}`);
  const yuan = Number(m[1]);
  const cents = Number((m[2] ?? "").padEnd(2, "0"));
  return assertFen(yuan * 100 + cents);
}

/** WeChat `amount.total` is already fen: this only guards the type and range. */
export function fenToWechatTotal(fen: number): number {
  return assertFen(fen);
}

export function wechatTotalToFen(total: unknown): number {
  if (typeof total !== "number") throw new MoneyFormatError(`not a fen amount: ${JSON.stringify(total)}`);
  return assertFen(total);
}
