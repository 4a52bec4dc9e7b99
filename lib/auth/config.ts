import type { NextAuthConfig } from "next-auth";
import { authSecret } from "./secret";

export type Role = "customer" | "staff" | "admin";

declare module "next-auth" {
  interface Session {
    user: { id: string; name: string; email?: string | null; role: Role; locale: string };
  }
  interface User {
    role?: Role;
    locale?: string;
    sessionVersion?: number;
  }
}

/** Browser sessions: customers stay signed in 30 days; staff 12 hours at most, and 30 minutes idle. */
export const CUSTOMER_SESSION_S = 30 * 24 * 3600;
export const STAFF_SESSION_S = 12 * 3600;
export const STAFF_IDLE_S = 30 * 60;
/** `seenAt` is rewritten at most this often, so not every request re-signs the cookie. */
const SEEN_RESOLUTION_S = 60;

type SessionClock = Record<string, unknown>;

/** Whether a session token has outlived its role's limits at `nowS` (seconds). */
export function sessionExpired(token: SessionClock, nowS: number): boolean {
  if (token.role !== "staff" && token.role !== "admin") return false;
  const authAt = typeof token.authAt === "number" ? token.authAt : 0;
  const seenAt = typeof token.seenAt === "number" ? token.seenAt : authAt;
  return nowS - authAt > STAFF_SESSION_S || nowS - seenAt > STAFF_IDLE_S;
}

/** The part of the config the proxy needs: no providers, no database. */
export const authConfig = {
  secret: authSecret(),
  trustHost: true,
  session: { strategy: "jwt", maxAge: CUSTOMER_SESSION_S },
  pages: { signIn: "/signin" },
  providers: [],
  callbacks: {
    // Signing in stamps the clock and the account's session version; later calls end a staff session
    // past its limits (null clears the cookie). lib/auth/index.ts adds the database check on top.
    jwt({ token, user }) {
      const nowS = Math.floor(Date.now() / 1000);
      if (user) {
        token.sub = user.id;
        token.role = user.role ?? "customer";
        token.locale = user.locale ?? "zh-CN";
        token.sv = user.sessionVersion ?? 0;
        token.authAt = nowS;
        token.seenAt = nowS;
        return token;
      }
      if (sessionExpired(token, nowS)) return null;
      if (typeof token.seenAt !== "number" || nowS - token.seenAt >= SEEN_RESOLUTION_S) token.seenAt = nowS;
      return token;
    },
    session({ session, token }) {
      session.user.id = token.sub ?? "";
      session.user.role = (token.role as Role | undefined) ?? "customer";
      session.user.locale = (token.locale as string | undefined) ?? "zh-CN";
      return session;
    },
    authorized({ auth, request }) {
      const path = request.nextUrl.pathname;
      const needsSession = path.startsWith("/dashboard") || path.startsWith("/me");
      // Role checks happen in each page, action and handler; the proxy only sends anonymous users to sign in,
      // on the host the browser used, with a path-only callback (signInAction accepts only local paths).
      if (!needsSession || auth?.user) return true;
      const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? request.nextUrl.host;
      const proto = request.headers.get("x-forwarded-proto") ?? request.nextUrl.protocol.replace(":", "");
      const target = new URL(`${proto}://${host}/signin`);
      target.searchParams.set("callbackUrl", path + request.nextUrl.search);
      return Response.redirect(target, 307);
    },
  },
} satisfies NextAuthConfig;
