import "server-only";
import { auth } from "@/lib/auth";
import { requireStaff } from "@/lib/auth/roles";
import type { SessionUser } from "@/lib/auth/session";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";

/**
 * For server actions and route handlers: a page guard does not protect the actions defined in it,
 * so every dashboard action calls this first. Anonymous → UNAUTHENTICATED, customer → FORBIDDEN.
 */
export async function requireStaffAction(): Promise<SessionUser> {
  const session = await auth();
  const user = session?.user;
  if (!user?.id) throw new AppError("UNAUTHENTICATED", "signIn");
  requireStaff(user);
  return user;
}

/** Staff accounts, roles and business settings are for admins only. */
export async function requireAdminAction(): Promise<SessionUser> {
  const user = await requireStaffAction();
  if (user.role !== "admin") throw new AppError("FORBIDDEN", "adminsOnly");
  return user;
}

export const actorOf = (user: Pick<SessionUser, "id" | "role">): Actor => ({ id: user.id, role: user.role });
