import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { deleteMyAccount } from "@/lib/auth/delete-account";
import { clientIp } from "@/lib/rate-limit";
import { deleteAccountSchema } from "@/lib/validations/privacy";

/** Deletes the caller's account (anonymised; see lib/auth/delete-account.ts) after re-authentication. */
export const DELETE = apiRoute({ auth: "user", body: deleteAccountSchema }, async ({ body, req, user }) => {
  await deleteMyAccount(
    user.id,
    body.password !== undefined ? { password: body.password } : { code: body.code!, ip: clientIp(req.headers) },
  );
  return NextResponse.json({ deleted: true });
});
