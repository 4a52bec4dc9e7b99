import "server-only";
import type { JWT } from "next-auth/jwt";
import { isDbUnavailable } from "@/lib/errors";
import { sessionState } from "./session-state";

/**
 * Every server-side read of a session re-checks its account: removed, or its session version bumped
 * (sign-out, password change, role change) → null, the session ends; else the role is the current
 * one. A database outage keeps the cookie's last known values rather than signing everyone out.
 */
export async function recheckSessionToken(token: JWT): Promise<JWT | null> {
  if (!token.sub) return token;
  try {
    const state = await sessionState(token.sub);
    if (!state || state.sessionVersion !== (token.sv ?? 0)) return null;
    token.role = state.role;
  } catch (e) {
    if (!isDbUnavailable(e)) throw e;
  }
  return token;
}
