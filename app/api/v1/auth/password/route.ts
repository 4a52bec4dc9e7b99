import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { issueApiToken } from "@/lib/auth/api-tokens";
import { changePassword } from "@/lib/auth/change-password";
import { passwordChangeSchema as schema } from "@/lib/validations/auth";

/** { currentPassword, newPassword } → { token }: every session and token of the account ends; a new token is issued. */
export const POST = apiRoute({ auth: "user", body: schema }, async ({ user, body }) => {
  await changePassword(user.id, body.currentPassword, body.newPassword);
  const { token, expiresAt, scope } = await issueApiToken(user.id, "password-change");
  return NextResponse.json({ token, expiresAt, scope });
});
