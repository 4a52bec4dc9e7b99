import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { issueApiToken } from "@/lib/auth/api-tokens";
import { changePassword } from "@/lib/auth/change-password";

const schema = z.object({
  currentPassword: z.string().min(1).max(128),
  newPassword: z.string().min(8, "密码至少 8 位 / Password must be at least 8 characters").max(128),
});

/** { currentPassword, newPassword } → { token }: every session and token of the account ends; a new token is issued. */
export const POST = apiRoute({ auth: "user", body: schema }, async ({ user, body }) => {
  await changePassword(user.id, body.currentPassword, body.newPassword);
  const { token, expiresAt, scope } = await issueApiToken(user.id, "password-change");
  return NextResponse.json({ token, expiresAt, scope });
});
