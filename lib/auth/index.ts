import "server-only";
import NextAuth from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { isAppError } from "@/lib/errors";
import { credentialsSchema } from "@/lib/validations/auth";
import { clientIp } from "@/lib/rate-limit";
import { signInWithPassword } from "./sign-in";
import { authConfig } from "./config";
import { recheckSessionToken } from "./session-check";
import { endSessions } from "./session-state";
import { phoneCodeProvider } from "./phone-code-provider";
import { wechatProvider } from "./wechat-sign-in";

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  callbacks: {
    ...authConfig.callbacks,
    async jwt(params) {
      const token = authConfig.callbacks.jwt(params);
      return token && !params.user ? recheckSessionToken(token) : token;
    },
  },
  events: {
    // Signing out ends the session on the server too: the cookie's version no longer matches.
    async signOut(message) {
      const userId = "token" in message ? message.token?.sub : undefined;
      if (userId) await endSessions(userId);
    },
  },
  providers: [
    Credentials({
      credentials: { identifier: {}, password: {} },
      async authorize(raw, request) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        try {
          const user = await signInWithPassword(parsed.data.identifier, parsed.data.password, clientIp(request.headers));
          return {
            id: user.id,
            name: user.name,
            email: user.email,
            role: user.role,
            locale: user.locale,
            sessionVersion: user.sessionVersion,
          };
        } catch (e) {
          if (isAppError(e)) return null;
          throw e;
        }
      },
    }),
    phoneCodeProvider(),
    wechatProvider(),
  ],
});
