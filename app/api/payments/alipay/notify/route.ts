import { isDbUnavailable, logUnavailable } from "@/lib/errors";
import { handleNotify } from "@/lib/payments/handle-notify";

// Form-encoded, RSA2-signed; answered with the text Alipay expects (`success` / `failure`).
export async function POST(req: Request) {
  try {
    return await handleNotify("alipay", req.headers, await req.text());
  } catch (e) {
    // Anything but `success` makes Alipay deliver the notice again later.
    if (isDbUnavailable(e)) logUnavailable("alipay notify", e);
    else console.error("[payments] alipay notify failed", e);
    return new Response("failure", { status: 200, headers: { "content-type": "text/plain" } });
  }
}
