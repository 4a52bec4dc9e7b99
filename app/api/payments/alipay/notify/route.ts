import { httpStatus, isAppError, isDbUnavailable, logUnavailable } from "@/lib/errors";
import { readBodyText } from "@/lib/api/body";
import { handlePaymentNotify } from "@/lib/booking/payments";
import { log } from "@/lib/log";

// Form-encoded, RSA2-signed; answered with the text Alipay expects (`success` / `failure`).
export async function POST(req: Request) {
  try {
    return await handlePaymentNotify("alipay", req.headers, await readBodyText(req));
  } catch (e) {
    if (isAppError(e)) return new Response("failure", { status: httpStatus[e.code], headers: { "content-type": "text/plain" } });
    // Anything but `success` makes Alipay deliver the notice again later.
    if (isDbUnavailable(e)) logUnavailable("alipay notify", e);
    else log.error("[payments] alipay notify failed", e);
    return new Response("failure", { status: 200, headers: { "content-type": "text/plain" } });
  }
}
