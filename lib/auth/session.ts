import "server-only";
import { forbidden, redirect } from "next/navigation";
import type { Session } from "next-auth";
import { auth } from "./index";
import type { Role } from "./config";

export type SessionUser = Session["user"];

/** For pages: anonymous → sign-in page (coming back here after), wrong role → 403 page. */
export async function requirePageUser(from: string, roles?: Role[]): Promise<SessionUser> {
  const session = await auth();
  if (!session?.user?.id) redirect(`/signin?callbackUrl=${encodeURIComponent(from)}`);
  if (roles && !roles.includes(session.user.role)) forbidden();
  return session.user;
}

export const requireStaffPage = (from: string) => requirePageUser(from, ["staff", "admin"]);
