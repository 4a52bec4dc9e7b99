import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { issueApiToken } from "@/lib/auth/api-tokens";
import { registerWithCodes } from "@/lib/auth/register-with-codes";
import { startEmailSignUp } from "@/lib/notifications/send-code";
import { clientIp, consumeLimits, registrationLimits } from "@/lib/rate-limit";
import { registerApiSchema } from "@/lib/validations/auth";

export const POST = apiRoute({ auth: "none", body: registerApiSchema }, async ({ body, req }) => {
  const ip = clientIp(req.headers);
  const { code, emailCode, ...input } = body;
  if (input.email !== undefined && emailCode === undefined) {
    // Step one with an e-mail address: the same 202 whether or not it has an account (its owner gets a mail instead of a code).
    await consumeLimits(registrationLimits(ip));
    const sent = await startEmailSignUp({ ...input, email: input.email }, ip);
    return NextResponse.json({ pending: true, ...sent }, { status: 202 });
  }
  // Each contact given is proved by its code (the mailed `emailCode`, the texted `code`) as the account is created.
  if (input.email === undefined) await consumeLimits(registrationLimits(ip));
  const user = await registerWithCodes(input, { email: emailCode, phone: code }, ip);
  const { token } = await issueApiToken(user.id, "register");
  return NextResponse.json({ user, token }, { status: 201 });
});
