/**
 * Gateway timestamps are China Standard Time (UTC+8, no daylight saving since 1991), whatever
 * zone the server runs in. alipay-sdk formats its own `timestamp` in the process's local zone,
 * which is 8 hours off on a UTC server; we format explicitly instead and pass it in.
 */
const OFFSET_MS = 8 * 3_600_000;

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function cstParts(date: Date) {
  const d = new Date(date.getTime() + OFFSET_MS);
  return {
    date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
  };
}

/** Alipay's "yyyy-MM-dd HH:mm:ss" in UTC+8. */
export function formatAlipayTime(date: Date): string {
  const p = cstParts(date);
  return `${p.date} ${p.time}`;
}

/** WeChat Pay's RFC 3339 with the +08:00 offset, e.g. "2026-03-01T10:34:56+08:00". */
export function formatWechatTime(date: Date): string {
  const p = cstParts(date);
  return `${p.date}T${p.time}+08:00`;
}

/** Inverse of formatAlipayTime; null when the text is not in that format. */
export function parseAlipayTime(text: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - OFFSET_MS;
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** `yyyyMMdd` in UTC+8, used in gateway-style trade numbers. */
export function cstDateDigits(date: Date): string {
  return cstParts(date).date.replaceAll("-", "");
}
