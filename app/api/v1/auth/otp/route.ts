import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { requestOtp } from "@/lib/notifications/send-code";
import { clientIp } from "@/lib/rate-limit";
import { otpRequestSchema } from "@/lib/validations/otp";

export const POST = apiRoute({ auth: "none", body: otpRequestSchema }, async ({ body, req }) => {
  const sent = await requestOtp({ phone: body.phone, locale: body.locale, ip: clientIp(req.headers) });
  return NextResponse.json(sent, { status: 202 });
});
