/** Integer fen → display string, e.g. 8800 → "¥88.00". The only place fen become yuan for people. */
export function formatFen(fen: number, currency = "CNY"): string {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(fen);
  const yuan = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
  return currency === "CNY" ? `${sign}¥${yuan}` : `${sign}${yuan} ${currency}`;
}
