import "server-only";
import type { User } from "@/db/schema";
import { isAppError } from "@/lib/errors";
import { assertLoginAllowed, recordLoginFailure, recordLoginSuccess } from "@/lib/rate-limit";
import { authenticate } from "./authenticate";
import { identifierKey, normaliseIdentifier } from "./identifier";

/** Password check behind the failed-attempt limits, shared by the sign-in form and the token API. */
export async function signInWithPassword(identifier: string, password: string, ip: string): Promise<User> {
  const account = identifierKey(normaliseIdentifier(identifier));
  await assertLoginAllowed(account, ip);
  try {
    const user = await authenticate(identifier, password);
    await recordLoginSuccess(account, ip);
    return user;
  } catch (e) {
    if (isAppError(e) && e.code === "INVALID_CREDENTIALS") await recordLoginFailure(account, ip);
    throw e;
  }
}
