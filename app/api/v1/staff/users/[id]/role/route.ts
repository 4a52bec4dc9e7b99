import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { setUserRole } from "@/lib/auth/set-role";
import { AppError } from "@/lib/errors";
import { roleChangeSchema as roleSchema } from "@/lib/validations/auth";

/** Admins only: { role } → { user }. The account's sessions end at once; a demotion revokes its staff tokens. */
export const PUT = apiRoute({ auth: "admin", body: roleSchema }, async ({ user, params, body }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "userNotFound");
  const updated = await setUserRole({ userId: params.id!, role: body.role, actor: { id: user.id, role: user.role } });
  return NextResponse.json({ user: updated });
});
