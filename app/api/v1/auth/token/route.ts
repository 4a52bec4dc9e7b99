import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { issueApiToken } from "@/lib/auth/api-tokens";
import { authenticate } from "@/lib/auth/authenticate";
import { credentialsSchema } from "@/lib/validations/auth";

export const POST = apiRoute({ auth: "none", body: credentialsSchema }, async ({ body }) => {
  const user = await authenticate(body.identifier, body.password);
  const { token } = await issueApiToken(user.id, "token");
  return NextResponse.json({ token }, { status: 200 });
});
