import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { listApiTokens } from "@/lib/auth/api-tokens";

/** The caller's live API tokens: { tokens: [{ id, name, prefix, scope, createdAt, expiresAt, lastUsedAt }] }. */
export const GET = apiRoute({ auth: "user" }, async ({ user }) => NextResponse.json({ tokens: await listApiTokens(user.id) }));
