import "server-only";
import type { SessionUser } from "@/lib/auth/session";
import { runAction, type ActionResult } from "@/lib/actions";

export { parseInput } from "@/lib/actions";

/** What every dashboard action returns: the one action result. */
export type DashResult<T = unknown> = ActionResult<T>;

/** Dashboard actions go through the one action wrapper (lib/actions.ts) as staff, or as admins. */
export function runStaffAction<T>(
  body: (user: SessionUser) => Promise<DashResult<T>>,
  opts: { admin?: boolean } = {},
): Promise<DashResult<T>> {
  return runAction<DashResult<T>, "staff" | "admin">({ auth: opts.admin ? "admin" : "staff" }, (user) => body(user));
}
