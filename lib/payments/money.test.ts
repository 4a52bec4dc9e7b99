import { describe, expect, it } from "vitest";
import { alipayAmountToFen, assertFen, fenToAlipayAmount, fenToWechatTotal, MoneyFormatError, wechatTotalToFen } from "./money";

describe("fen ↔ gateway amounts", () => {
  it.each([
    [0, "0.00"],
    [1, "0.01"],
    [10, "0.10"],
    [100, "1.00"],
    [8800, "88.00"],
    [8801, "88.01"],
    [99_999_999, "999999.99"],
    [10_000_000_000, "100000000.00"],
  ])("%i fen is Alipay %s and back", (fen, yuan) => {
    expect(fenToAlipayAmount(fen)).toBe(yuan);
    expect(alipayAmountToFen(yuan)).toBe(fen);
    expect(fenToWechatTotal(fen)).toBe(fen);
    expect(wechatTotalToFen(fen)).toBe(fen);
  });

  it("parses without float drift (0.07 * 100 is 7.000000000000001 in floats)", () => {
    expect(alipayAmountToFen("0.07")).toBe(7);
    expect(alipayAmountToFen("0.29")).toBe(29);
    expect(alipayAmountToFen("1.1")).toBe(110);
    expect(alipayAmountToFen("88")).toBe(8800);
    for (let fen = 0; fen <= 20_000; fen++) expect(alipayAmountToFen(fenToAlipayAmount(fen))).toBe(fen);
  });

  it.each([1.5, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, 10_000_000_001])("rejects %s fen", (fen) => {
    expect(() => fenToAlipayAmount(fen)).toThrow(MoneyFormatError);
    expect(() => fenToWechatTotal(fen)).toThrow(MoneyFormatError);
    expect(() => assertFen(fen)).toThrow(MoneyFormatError);
  });

  it.each(["88.123", "-1.00", "+1.00", "1e3", " 88.00", "88.00 ", "88.", ".5", "088.00", "", "88,00", "１.00", "100000000.01"])(
    "rejects Alipay amount %j",
    (text) => {
      expect(() => alipayAmountToFen(text)).toThrow(MoneyFormatError);
    },
  );

  it("rejects WeChat totals that are not integer fen", () => {
    for (const bad of ["100", 1.5, -1, null, undefined]) expect(() => wechatTotalToFen(bad)).toThrow(MoneyFormatError);
  });
});
