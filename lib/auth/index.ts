import "server-only";
import NextAuth from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { isAppError } from "@/lib/errors";
import { credentialsSchema } from "@/lib/validations/auth";
import { clientIp } from "@/lib/rate-limit";
import { signInWithPassword } from "./sign-in";
import { authConfig } from "./config";
import { phoneCodeProvider } from "./phone-code-provider";

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  providers: [
    Credentials({
      credentials: { identifier: {}, password: {} },
      async authorize(raw, request) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        try {
          const user = await signInWithPassword(parsed.data.identifier, parsed.data.password, clientIp(request.headers));
          return { id: user.id, name: user.name, email: user.email, role: user.role, locale: user.locale };
        } catch (e) {
          if (isAppError(e)) return null;
          throw e;
        }
      },
    }),
    phoneCodeProvider(),
  ],
});
