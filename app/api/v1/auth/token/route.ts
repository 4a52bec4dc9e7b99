import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { issueApiToken } from "@/lib/auth/api-tokens";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { clientIp } from "@/lib/rate-limit";
import { credentialsSchema } from "@/lib/validations/auth";

export const POST = apiRoute({ auth: "none", body: credentialsSchema }, async ({ body, req }) => {
  const user = await signInWithPassword(body.identifier, body.password, clientIp(req.headers));
  const { token, expiresAt, scope } = await issueApiToken(user.id, "token");
  return NextResponse.json({ token, expiresAt, scope }, { status: 200 });
});
