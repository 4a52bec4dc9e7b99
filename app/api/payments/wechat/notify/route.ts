import { handleNotify } from "@/lib/payments/handle-notify";

// JSON with Wechatpay-* signature headers; 204 on success, 4xx/5xx JSON makes WeChat retry.
export async function POST(req: Request) {
  try {
    return await handleNotify("wechat", req.headers, await req.text());
  } catch (e) {
    console.error("[payments] wechat notify failed", e);
    return Response.json({ code: "FAIL", message: "internal error" }, { status: 500 });
  }
}
