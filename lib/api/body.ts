import { AppError } from "@/lib/errors";

/**
 * The largest request body an API route or a gateway notice reads: a booking, a service with its
 * form and rules, a signed notice are a few KiB; anything near this is abuse, answered 413.
 */
export const BODY_LIMIT_BYTES = 256 * 1024;

export const payloadTooLarge = () => new AppError("PAYLOAD_TOO_LARGE", "payloadTooLarge", undefined, { kib: BODY_LIMIT_BYTES / 1024 });

/** The body as text, read up to `limit` bytes (a chunked body has no Content-Length to check first). */
export async function readBodyText(req: Request, limit = BODY_LIMIT_BYTES): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > limit) throw payloadTooLarge();
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw payloadTooLarge();
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** Whether any string in a parsed JSON value (keys included) holds a NUL character, which no text column can store. */
export function containsNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (Array.isArray(value)) return value.some(containsNul);
  if (value && typeof value === "object") return Object.entries(value).some(([k, v]) => k.includes("\u0000") || containsNul(v));
  return false;
}
