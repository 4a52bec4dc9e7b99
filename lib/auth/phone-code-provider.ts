import "server-only";
import { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { isAppError } from "@/lib/errors";
import { clientIp } from "@/lib/rate-limit";
import { otpVerifySchema } from "@/lib/validations/otp";
import { signInWithCode } from "./otp";
import { PHONE_CODE_PROVIDER } from "./provider-ids";

export { PHONE_CODE_PROVIDER };

/** Too many codes or wrong tries: the form says "try later" instead of "wrong code". */
export class CodeRateLimited extends CredentialsSignin {
  override code = "rate_limited";
}

/** A new number's account needs the privacy policy accepted: the form shows it beside the checkbox. */
export class ConsentRequired extends CredentialsSignin {
  override code = "consent_required";
}

/**
 * Sign-in by phone + SMS code for the site's session (the REST API uses /api/v1/auth/otp/verify).
 * The code is checked and used once by `signInWithCode`; a number seen for the first time becomes
 * a customer account without a password (with the privacy checkbox ticked: `privacyConsent`).
 */
export function phoneCodeProvider() {
  return Credentials({
    id: PHONE_CODE_PROVIDER,
    name: "SMS code",
    credentials: { phone: {}, code: {}, locale: {}, privacyConsent: {} },
    async authorize(raw, request) {
      const parsed = otpVerifySchema.safeParse(raw);
      if (!parsed.success) return null;
      try {
        const { user } = await signInWithCode({ ...parsed.data, ip: clientIp(request.headers) });
        return {
          id: user.id,
          name: user.name,
          email: user.email,
          role: user.role,
          locale: user.locale,
          sessionVersion: user.sessionVersion,
        };
      } catch (e) {
        if (isAppError(e) && e.code === "RATE_LIMITED") throw new CodeRateLimited();
        if (isAppError(e) && e.key === "privacyConsentRequired") throw new ConsentRequired();
        if (isAppError(e)) return null;
        throw e;
      }
    },
  });
}
