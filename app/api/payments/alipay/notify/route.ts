import { isDbUnavailable, logUnavailable } from "@/lib/errors";
import { handlePaymentNotify } from "@/lib/booking/payments";
import { log } from "@/lib/log";

// Form-encoded, RSA2-signed; answered with the text Alipay expects (`success` / `failure`).
export async function POST(req: Request) {
  try {
    return await handlePaymentNotify("alipay", req.headers, await req.text());
  } catch (e) {
    // Anything but `success` makes Alipay deliver the notice again later.
    if (isDbUnavailable(e)) logUnavailable("alipay notify", e);
    else log.error("[payments] alipay notify failed", e);
    return new Response("failure", { status: 200, headers: { "content-type": "text/plain" } });
  }
}
