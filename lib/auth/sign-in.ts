import "server-only";
import type { User } from "@/db/schema";
import { isAppError } from "@/lib/errors";
import { assertUnderLimits, countFailure, loginLimits } from "@/lib/rate-limit";
import { authenticate } from "./authenticate";

/** Password check behind the failed-attempt limits, shared by the sign-in form and the token API. */
export async function signInWithPassword(identifier: string, password: string, ip: string): Promise<User> {
  const limits = loginLimits(identifier, ip);
  await assertUnderLimits(limits);
  try {
    return await authenticate(identifier, password);
  } catch (e) {
    if (isAppError(e) && e.code === "INVALID_CREDENTIALS") await countFailure(limits);
    throw e;
  }
}
