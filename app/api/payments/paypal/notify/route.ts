import { httpStatus, isAppError, isDbUnavailable, logUnavailable, UNAVAILABLE_RETRY_AFTER_S } from "@/lib/errors";
import { readBodyText } from "@/lib/api/body";
import { handlePaymentNotify } from "@/lib/booking/payments";
import { log } from "@/lib/log";

// JSON signed in PAYPAL-TRANSMISSION-* headers; any 2xx stops PayPal's retries, anything else makes it retry.
export async function POST(req: Request) {
  try {
    return await handlePaymentNotify("paypal", req.headers, await readBodyText(req));
  } catch (e) {
    if (isAppError(e)) return Response.json({ error: { code: e.code, message: e.message } }, { status: httpStatus[e.code] });
    if (isDbUnavailable(e)) {
      logUnavailable("paypal notify", e);
      return Response.json(
        { error: { code: "UNAVAILABLE", message: "temporarily unavailable" } },
        { status: 503, headers: { "Retry-After": String(UNAVAILABLE_RETRY_AFTER_S) } },
      );
    }
    log.error("[payments] paypal notify failed", e);
    return Response.json({ error: { code: "INTERNAL", message: "internal error" } }, { status: 500 });
  }
}
