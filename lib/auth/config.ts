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
  }
}

/** The part of the config the proxy needs: no providers, no database. */
export const authConfig = {
  secret: authSecret(),
  trustHost: true,
  session: { strategy: "jwt", maxAge: 30 * 24 * 3600 },
  pages: { signIn: "/signin" },
  providers: [],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.role = user.role ?? "customer";
        token.locale = user.locale ?? "zh-CN";
      }
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
