import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { issueApiToken } from "@/lib/auth/api-tokens";
import { registerWithVerifiedPhone } from "@/lib/auth/phone-account";
import { registerUser } from "@/lib/auth/register-user";
import { clientIp, consumeLimits, registrationLimits } from "@/lib/rate-limit";
import { registerApiSchema } from "@/lib/validations/auth";

export const POST = apiRoute({ auth: "none", body: registerApiSchema }, async ({ body, req }) => {
  const ip = clientIp(req.headers);
  await consumeLimits(registrationLimits(ip));
  const { code, ...input } = body;
  // A phone number is proved with its SMS code (POST /api/v1/auth/otp) before it is stored.
  const user =
    input.phone !== undefined && code !== undefined
      ? await registerWithVerifiedPhone({ ...input, phone: input.phone }, { phone: input.phone, code, ip })
      : await registerUser(input);
  const { token } = await issueApiToken(user.id, "register");
  return NextResponse.json({ user, token }, { status: 201 });
});
