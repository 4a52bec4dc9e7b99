import { httpStatus, isAppError, isDbUnavailable, logUnavailable, UNAVAILABLE_RETRY_AFTER_S } from "@/lib/errors";
import { readBodyText } from "@/lib/api/body";
import { handlePaymentNotify } from "@/lib/booking/payments";
import { log } from "@/lib/log";

// JSON with Wechatpay-* signature headers; 204 on success, 4xx/5xx JSON makes WeChat retry.
export async function POST(req: Request) {
  try {
    return await handlePaymentNotify("wechat", req.headers, await readBodyText(req));
  } catch (e) {
    if (isAppError(e)) return Response.json({ code: "FAIL", message: e.message }, { status: httpStatus[e.code] });
    if (isDbUnavailable(e)) {
      logUnavailable("wechat notify", e);
      return Response.json(
        { code: "FAIL", message: "temporarily unavailable" },
        { status: 503, headers: { "Retry-After": String(UNAVAILABLE_RETRY_AFTER_S) } },
      );
    }
    log.error("[payments] wechat notify failed", e);
    return Response.json({ code: "FAIL", message: "internal error" }, { status: 500 });
  }
}
