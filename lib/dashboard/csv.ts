/** Plain numbers (amounts like -12.50 included) are data, not formulas. */
const NUMBER = /^[+-]?\d+(?:\.\d+)?$/;
/** What makes a spreadsheet read a cell as a formula (full-width forms too: Excel folds them). */
const FORMULA_START = /^[=+\-@\t\r\n＝＋－＠]/;

/**
 * RFC 4180 CSV with a UTF-8 BOM, so Excel opens Chinese text correctly. Text a customer typed can
 * start a formula (=HYPERLINK(…)): such a cell is prefixed with ' so it stays text. Excel in
 * semicolon locales splits an unquoted cell at ";" (so `x;=cmd` would begin a new cell with a
 * formula): any cell holding a separator is quoted.
 */
export function toCsv(header: string[], rows: (string | number | null | undefined)[][]): string {
  const cell = (v: string | number | null | undefined) => {
    if (v === null || v === undefined) return "";
    let s = String(v);
    if (typeof v === "string" && !NUMBER.test(s) && FORMULA_START.test(s)) s = `'${s}`;
    return /[",;\r\n\t]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return `\uFEFF${[header, ...rows].map((r) => r.map(cell).join(",")).join("\r\n")}\r\n`;
}

export const fenToYuan = (fen: number) => (fen / 100).toFixed(2);
