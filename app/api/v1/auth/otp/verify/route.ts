import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { issueApiToken } from "@/lib/auth/api-tokens";
import { signInWithCode } from "@/lib/auth/otp";
import { toPublicUser } from "@/lib/auth/register-user";
import { clientIp } from "@/lib/rate-limit";
import { otpVerifySchema } from "@/lib/validations/otp";

export const POST = apiRoute({ auth: "none", body: otpVerifySchema }, async ({ body, req }) => {
  const { user, created } = await signInWithCode({
    phone: body.phone,
    code: body.code,
    locale: body.locale,
    privacyConsent: body.privacyConsent,
    ip: clientIp(req.headers),
  });
  const { token } = await issueApiToken(user.id, "otp");
  return NextResponse.json({ user: toPublicUser(user), token, created }, { status: 200 });
});
