import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { issueApiToken } from "@/lib/auth/api-tokens";
import { registerUser } from "@/lib/auth/register-user";
import { clientIp, consumeLimits, registrationLimits } from "@/lib/rate-limit";
import { registerSchema } from "@/lib/validations/auth";

export const POST = apiRoute({ auth: "none", body: registerSchema }, async ({ body, req }) => {
  await consumeLimits(registrationLimits(clientIp(req.headers)));
  const user = await registerUser(body);
  const { token } = await issueApiToken(user.id, "register");
  return NextResponse.json({ user, token }, { status: 201 });
});
