import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { revokeApiToken } from "@/lib/auth/api-tokens";
import { AppError } from "@/lib/errors";

/** Revokes one of the caller's tokens (the one in use too): 204, or 404 for anyone else's. */
export const DELETE = apiRoute({ auth: "user" }, async ({ user, params }) => {
  const id = z.uuid().safeParse(params.id);
  if (!id.success || !(await revokeApiToken(user.id, id.data))) throw new AppError("NOT_FOUND", "tokenNotFound");
  return new Response(null, { status: 204 });
});
